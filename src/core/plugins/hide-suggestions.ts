import type { ApolloServerPlugin } from '@apollo/server';

/** graphql-js appends its suggestions as the last sentence of a message. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Strips "Did you mean ...?" from every error of an operation. Apollo's
 * `hideSchemaDetailsFromClientErrors` does this for validation errors only; graphql-js also
 * suggests input field names when it coerces variables (`Field "nam" is not defined by type
 * "ModelFilter". Did you mean "name"?`), which would spell out the schema to callers that may
 * not introspect it.
 */
export function createHideSuggestionsPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
        },
      };
    },
  };
}
