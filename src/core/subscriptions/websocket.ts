import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  locatedError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Context } from '../../context.js';
import { AuthError, sha256, type Authenticator, type Caller } from '../auth.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { checkNestedArguments, type ArgumentChecks } from '../plugins/argument-checks.js';
import { checkArgumentLimits } from '../plugins/argument-limits.js';
import { DocumentTooComplexError, estimateCost, type CostModel } from '../plugins/cost.js';
import type { UpstreamClient } from '../upstream/client.js';
import { systemScheduler, type Feed, type FeedHub, type Scheduler, type Snapshot } from './feeds.js';
import { createReplayClient } from './replay.js';

/**
 * GraphQL subscriptions over WebSocket with the graphql-ws protocol (`graphql-transport-ws`),
 * on the HTTP server's own port and path: a `ws` server takes the upgrade requests for
 * /graphql from Fastify's server (Apollo's documented `useServer` setup, without Express).
 *
 * What HTTP checks before an operation runs is checked here too, before any upstream call:
 * the token (in `connectionParams.authorization`, or the upgrade request's Authorization
 * header) and its `read` scope when the connection opens (4401 / 4403 otherwise), then per
 * subscription the trusted documents, MAX_TOKENS, validation with the document limits, the
 * argument limits and the arguments' own rules. Queries and mutations are not served here:
 * they go over HTTP, where they are costed and charged. A subscription is charged to no
 * budget (its polls are shared), but counts toward MAX_SUBSCRIPTIONS_PER_CALLER; the
 * connections of a replica toward MAX_WEBSOCKET_CONNECTIONS.
 */

export interface SubscriptionServerOptions {
  readonly schema: GraphQLSchema;
  readonly hub: FeedHub;
  /** The feed behind each Subscription field. */
  readonly feeds: Readonly<Record<string, Feed<never>>>;
  readonly authenticate: Authenticator;
  readonly limits: {
    readonly maxTokens: number;
    readonly maxPerCaller: number;
    readonly maxConnections: number;
    /** Largest WebSocket message accepted (MAX_BODY_BYTES). */
    readonly maxMessageBytes: number;
  };
  /** The document limit rules HTTP validates with (depth, aliases, directives). */
  readonly validationRules: readonly ValidationRule[];
  readonly costModel: CostModel;
  readonly argumentChecks: ArgumentChecks;
  readonly trustedDocuments?: { readonly manifest: ReadonlyMap<string, string>; readonly only: boolean } | undefined;
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Production: no "Did you mean ...?" in messages. */
  readonly hideSuggestions: boolean;
  readonly logger: Logger;
  /** A context for one subscription (with `feeds`) or one event (with a client replaying its poll). */
  readonly createContext: (opts: { caller: Caller; requestId: string; client?: UpstreamClient; feeds?: FeedHub }) => Context;
  readonly upstream: Pick<UpstreamClient, 'governor' | 'breakers' | 'origins'>;
  /** ws keep-alive pings: a client that does not answer within it is dropped (default 12 s). */
  readonly keepAliveMs?: number;
  /** Timers (the token expiry of a connection); injectable so tests fire them by hand. */
  readonly scheduler?: Scheduler | undefined;
}

export interface SubscriptionServer {
  stats(): { connections: number; subscriptions: number };
}

/** What the connection knows once authenticated. */
interface ConnectionState {
  caller?: Caller;
  /** Subscriptions of this connection counted toward its caller's limit. */
  counted?: Set<string>;
  requestId?: string;
}

/** What a subscription's execution needs besides the ExecutionArgs. */
interface Plan {
  readonly caller: Caller;
  readonly requestId: string;
  readonly responseKey: string;
  readonly nodes: readonly FieldNode[];
}

/** A close reason is at most 123 bytes. */
const reason = (text: string) => (Buffer.byteLength(text) <= 123 ? text : `${text.slice(0, 119)}...`);

const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** A request error with its code, as Apollo labels them over HTTP. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes ?? null, source: error.source ?? null, positions: error.positions ?? null, originalError: error.originalError ?? null, extensions: { ...error.extensions, code } });

const requestError = (message: string, code = 'BAD_REQUEST') => new GraphQLError(message, { extensions: { code } });

/** The longest delay a Node timer takes (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

const EXPIRED = 'The bearer token has expired: reconnect with a fresh token in connectionParams.';

export function installSubscriptions(app: FastifyInstance, options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, hub, logger, limits } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  const rules = [...specifiedRules, ...options.validationRules];
  const open = new Map<string, number>();
  let subscriptions = 0;
  const plans = new WeakMap<object, Plan>();

  const count = (caller: string, by: 1 | -1) => {
    const n = (open.get(caller) ?? 0) + by;
    if (n > 0) open.set(caller, n);
    else open.delete(caller);
    subscriptions += by;
  };
  const uncount = (state: ConnectionState, id: string) => {
    if (state.caller && state.counted?.delete(id)) count(state.caller.name, -1);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  let closing = false;
  app.server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\n\r\n{"errors":[{"message":"WebSocket connections are served at /graphql only.","extensions":{"code":"NOT_FOUND"}}]}');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // Counted before this one joined: at most maxConnections stay open.
      if (closing) ws.close(1001, 'The gateway is shutting down: reconnect.');
      else if (wss.clients.size > limits.maxConnections) ws.close(1013, reason(`This gateway holds its most WebSocket connections (${limits.maxConnections}): try again later.`));
      else wss.emit('connection', ws, request);
    });
  });

  /** One subscription's stream: its own selection resolved from each state, sent when it changed. */
  async function run(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const plan = plans.get(args.contextValue as object)!;
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const states = source[Symbol.asyncIterator]() as AsyncIterator<Snapshot>;
    let previous: string | undefined;
    let finished = false;
    const stream: AsyncGenerator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => stream,
      async next(): Promise<IteratorResult<ExecutionResult>> {
        while (!finished) {
          let step: IteratorResult<Snapshot>;
          try {
            step = await states.next();
          } catch (err) {
            // The resource is gone (NOT_FOUND) or its first read failed: one last answer, then complete.
            finished = true;
            return { done: false, value: { data: { [plan.responseKey]: null }, errors: [locatedError(err, plan.nodes, [plan.responseKey])] } };
          }
          if (step.done || finished) break;
          const contextValue = options.createContext({ caller: plan.caller, requestId: plan.requestId, client: createReplayClient(step.value.calls, options.upstream) });
          const result = await execute({ ...args, rootValue: step.value, contextValue });
          // A new state of the resource may leave this subscriber's selection as it was.
          const text = JSON.stringify(result);
          if (text === previous) continue;
          previous = text;
          return { done: false, value: result };
        }
        finished = true;
        return { done: true, value: undefined };
      },
      async return(): Promise<IteratorResult<ExecutionResult>> {
        finished = true;
        await states.return?.();
        return { done: true, value: undefined };
      },
      async throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
        finished = true;
        await states.return?.();
        throw err;
      },
    };
    return stream;
  }

  const format = (errors: readonly GraphQLError[]) =>
    errors.map((e) => {
      const formatted = options.formatError(e.toJSON(), e);
      return options.hideSuggestions ? { ...formatted, message: formatted.message.replace(SUGGESTION, '') } : formatted;
    });

  /** Everything HTTP checks before running an operation; errors to send, or the execution. */
  function prepare(state: ConnectionState, id: string, payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] {
    const caller = state.caller!;
    if (caller.expiresAt !== undefined && caller.expiresAt <= Date.now()) return [new GatewayError(ErrorCode.UNAUTHENTICATED, EXPIRED)];
    let query: string | null | undefined = payload.query;
    const trusted = options.trustedDocuments;
    if (trusted) {
      const hash = (payload.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      if (!query && typeof hash === 'string') query = trusted.manifest.get(hash);
      if (trusted.only && !(query && trusted.manifest.has(sha256(query)))) {
        return [new GatewayError(ErrorCode.PERSISTED_DOCUMENT_REQUIRED, 'This gateway runs only trusted documents: send the sha256Hash of a document from its manifest.')];
      }
    }
    if (!query) return [requestError('Send the subscription document in `query`.')];
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (err) {
      if (err instanceof GraphQLError) return [withCode(err, 'GRAPHQL_PARSE_FAILED')];
      return [requestError('Syntax Error: the document is nested too deeply to parse; send deep values as variables.', 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [requestError('Name the operation to run in `operationName`: the document holds several, or none.', 'OPERATION_RESOLUTION_FAILURE')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [requestError(`Only subscriptions are served over WebSocket: send ${operation.operation === OperationTypeNode.MUTATION ? 'mutations' : 'queries'} by HTTP POST to /graphql.`)];
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
    if (coerced.errors) return coerced.errors.map((e) => withCode(e, 'BAD_USER_INPUT'));

    // The walk the cost estimate makes: argument limits and rules, and what each field costs.
    let feed: Feed<never> | undefined;
    let responseKey = '';
    const nodes: FieldNode[] = [];
    const refused = new Set<string>();
    try {
      estimateCost(schema, document, operation, coerced.coerced, options.costModel, ({ coordinate, definition, root }, args, node) => {
        checkArgumentLimits(coordinate, definition.args, args, node);
        if (root) {
          feed = options.feeds[definition.name];
          responseKey = node.alias?.value ?? node.name.value;
          nodes.push(node);
          return;
        }
        checkNestedArguments(options.argumentChecks, coordinate, args, node);
        const cost = options.costModel[coordinate];
        if (cost?.calls && !(cost.shared && feed?.actions.includes(cost.shared))) refused.add(coordinate);
      });
    } catch (err) {
      if (err instanceof DocumentTooComplexError) return [new GatewayError(ErrorCode.OPERATION_TOO_COSTLY, err.message)];
      if (err instanceof GraphQLError) return [err];
      throw err;
    }
    if (refused.size) {
      const fields = [...refused].join(', ');
      return [
        new GatewayError(
          ErrorCode.BAD_USER_INPUT,
          `${fields} ${refused.size === 1 ? 'needs an upstream call' : 'need upstream calls'} of ${refused.size === 1 ? 'its' : 'their'} own for every change, which subscriptions do not make: query ${refused.size === 1 ? 'it' : 'them'} over HTTP when needed.`,
          { fields: [...refused] },
        ),
      ];
    }

    const already = open.get(caller.name) ?? 0;
    if (already >= limits.maxPerCaller) {
      return [
        new GatewayError(
          ErrorCode.RATE_LIMITED,
          `${caller.name} has ${already} subscriptions open on this gateway, the most MAX_SUBSCRIPTIONS_PER_CALLER allows: complete one before starting another.`,
          { limit: limits.maxPerCaller },
        ),
      ];
    }
    // Counted now, before anything awaits, so concurrent subscribes cannot pass the limit together.
    count(caller.name, 1);
    (state.counted ??= new Set()).add(id);
    const requestId = `${state.requestId}:${id}`.slice(0, 128);
    const contextValue = options.createContext({ caller, requestId, feeds: hub });
    plans.set(contextValue, { caller, requestId, responseKey, nodes });
    return { schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null, contextValue };
  }

  /**
   * A JWT is checked when the connection opens, and a connection outlives it: at the token's
   * expiry the socket is closed with 4401, so the client reconnects with a fresh token (and
   * its subscriptions end with it). Timers longer than Node allows are re-armed.
   */
  function closeAtExpiry(socket: WebSocket, expiresAt: number): void {
    let timer: unknown;
    const arm = () => {
      const left = expiresAt - Date.now();
      timer = scheduler.setTimeout(
        () => {
          if (left > MAX_TIMER_MS) return arm();
          logger.info({ code: CloseCode.Unauthorized }, 'websocket token expired');
          socket.close(CloseCode.Unauthorized, reason(EXPIRED));
        },
        Math.max(0, Math.min(left, MAX_TIMER_MS)),
      );
    };
    arm();
    socket.once('close', () => scheduler.clearTimeout(timer));
  }

  useServer<Record<string, unknown> | undefined, ConnectionState & Record<PropertyKey, unknown>>(
    {
      schema,
      async onConnect(ctx) {
        const extra = ctx.extra as Extra & ConnectionState;
        const params = ctx.connectionParams ?? {};
        const presented = params.authorization ?? params.Authorization ?? ctx.extra.request.headers.authorization;
        const close = (code: number, message: string) => {
          logger.info({ code }, 'websocket connection refused');
          ctx.extra.socket.close(code, reason(message));
          return false;
        };
        let caller: Caller;
        try {
          caller = await options.authenticate(typeof presented === 'string' ? presented : undefined);
        } catch (err) {
          if (!(err instanceof AuthError)) throw err;
          const message = presented === undefined && err.status === 401 ? 'Authentication required: send connectionParams { authorization: "Bearer <token>" }.' : err.message;
          return close(err.status === 401 ? CloseCode.Unauthorized : CloseCode.Forbidden, message);
        }
        if (!caller.scopes.has('read')) return close(CloseCode.Forbidden, `${caller.name} may not subscribe: its token lacks the read scope.`);
        extra.caller = caller;
        if (caller.expiresAt !== undefined) closeAtExpiry(ctx.extra.socket, caller.expiresAt);
        extra.requestId = String(ctx.extra.request.headers['x-request-id'] ?? '').match(/^[\w.:-]{1,100}$/)?.[0] ?? `ws-${randomUUID()}`;
        return true;
      },
      onSubscribe: (ctx, id, payload) => prepare(ctx.extra, id, payload),
      subscribe: (args) => run(args),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onComplete: (ctx, id) => uncount(ctx.extra, id),
      onClose: (ctx) => {
        const state = ctx.extra as Extra & ConnectionState;
        for (const id of [...(state.counted ?? [])]) uncount(state, id);
      },
    },
    wss,
    options.keepAliveMs,
  );

  // Shutdown: every socket is told to go away (1001) first, so clients reconnect to another
  // replica and subscribe again there; the poll loops stop once their subscribers are gone.
  app.addHook('preClose', async () => {
    closing = true;
    const sockets = [...wss.clients];
    await Promise.all(
      sockets.map(
        (ws: WebSocket) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 1000);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'The gateway is shutting down: reconnect.');
          }),
      ),
    );
    await hub.close();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  return {
    stats: () => ({ connections: wss.clients.size, subscriptions }),
  };
}
