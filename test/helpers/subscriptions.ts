import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** What one subscription has received so far, as a graphql-ws client sees it. */
export interface Subscription {
  readonly results: ExecutionResult<Record<string, any>, unknown>[];
  /** Set when the stream ended: `complete`, or `error` (errors or a close event). */
  readonly end: { kind: 'complete' } | { kind: 'error'; error: unknown } | undefined;
  readonly client: Client;
  /** Close codes and reasons the client's socket saw. */
  readonly closes: { code: number; reason: string }[];
  unsubscribe(): void;
}

/**
 * Subscribes with graphql-ws's createClient over the `ws` package (no retries, so a refused
 * connection ends the subscription with its close event).
 */
export function subscribe(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { connectionParams?: Record<string, unknown>; client?: Client } = {},
): Subscription {
  const closes: { code: number; reason: string }[] = [];
  const client =
    opts.client ??
    createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      ...(opts.connectionParams ? { connectionParams: opts.connectionParams } : {}),
      on: { closed: (event) => void closes.push({ code: (event as { code: number }).code, reason: String((event as { reason?: string }).reason ?? '') }) },
    });
  const state: { results: ExecutionResult<Record<string, any>, unknown>[]; end: Subscription['end'] } = { results: [], end: undefined };
  const unsubscribe = client.subscribe<Record<string, any>>(
    { query, variables },
    {
      next: (result) => void state.results.push(result),
      error: (error) => void (state.end = { kind: 'error', error }),
      complete: () => void (state.end ??= { kind: 'complete' }),
    },
  );
  return {
    get results() {
      return state.results;
    },
    get end() {
      return state.end;
    },
    client,
    closes,
    unsubscribe,
  };
}

/** A client several subscriptions share (one socket). */
export const wsClient = (url: string, connectionParams?: Record<string, unknown>) =>
  createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...(connectionParams ? { connectionParams } : {}) });
