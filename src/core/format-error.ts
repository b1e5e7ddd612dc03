import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { ErrorCode, isGatewayError, OperationEndedError } from './errors.js';
import type { Logger } from './logger.js';

/** Errors Apollo raises about the request itself (parse, validation, variables, APQ); safe to show. */
export const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Shows our own errors and Apollo's request errors as they are, and masks everything else as
 * "Unexpected error." with INTERNAL_SERVER_ERROR; the original goes to the log only.
 * Never throws, never returns a stack trace.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      const original = unwrapResolverError(error);
      if (isGatewayError(original)) {
        const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
        return { ...formatted, extensions };
      }
      const isResolverError = error instanceof GraphQLError && error.path !== undefined;
      const code = formatted.extensions?.code;
      if (!isResolverError && typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
        const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
        // graphql-js's parser recurses per nesting level; a document nested deeper than the
        // call stack (within MAX_TOKENS) fails with an engine message, not a syntax error.
        if (code === 'GRAPHQL_PARSE_FAILED' && /call stack/i.test(formatted.message)) {
          return { message: 'Syntax Error: the document is nested too deeply to parse; send deep values as variables.', extensions };
        }
        return { ...formatted, extensions };
      }
      // A client that went away is no fault of ours: one info line, not an error per field.
      if (original instanceof OperationEndedError) logger.info({ path: formatted.path }, 'operation ended before an upstream call (client disconnected)');
      else logger.error({ err: original, path: formatted.path }, 'unexpected error masked');
    } catch {
      // fall through to the masked answer
    }
    return {
      message: 'Unexpected error.',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
