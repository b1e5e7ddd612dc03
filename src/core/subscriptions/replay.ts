import { stableKey } from '../loaders.js';
import type { CallInput, OperationSpec } from '../upstream/operation.js';
import type { UpstreamClient, UpstreamSession } from '../upstream/client.js';

/**
 * A poll reads a resource through the same domain code a query uses, with a session that
 * records each upstream answer; every subscriber then resolves its own selection against a
 * session that replays those answers. Resolvers stay exactly as they are for queries, and an
 * event costs no upstream call whatever its subscriber selected (fields answered by another
 * read are refused when subscribing: see websocket.ts).
 */

/** The upstream answers one poll recorded, by call: what every subscriber's event resolves from. */
export type RecordedCalls = Readonly<Record<string, unknown>>;

/** Names one upstream call: the same read made by the poll and by an event's resolvers matches. */
export const callKey = (op: OperationSpec<unknown>, input: CallInput = {}): string => `${op.product} ${op.action} ${stableKey({ path: input.path, query: input.query, body: input.body })}`;

/**
 * A session for one poll: every read goes to the upstream client (so through the governor and
 * its circuit breakers) bypassing the read cache, since a poll is there to see changes; it is
 * charged to no caller. Identical reads in flight still share one request.
 */
export function createRecordingSession(client: UpstreamClient, opts: { signal?: AbortSignal | undefined; requestId?: string | undefined }): { session: UpstreamSession; calls: Record<string, unknown> } {
  const calls: Record<string, unknown> = {};
  let callCount = 0;
  const session: UpstreamSession = {
    async call<Res>(op: OperationSpec<Res>, input: CallInput = {}): Promise<Res> {
      callCount += 1;
      const result = await client.call(op, input, { fresh: true, signal: opts.signal, requestId: opts.requestId });
      calls[callKey(op, input)] = result;
      return result;
    },
    get callCount() {
      return callCount;
    },
    onCacheHit: undefined,
  };
  return { session, calls };
}

/** A call an event's resolvers made that the poll did not: a field missing from the subscription check. */
export class UnrecordedCallError extends Error {
  override name = 'UnrecordedCallError';
  constructor(readonly action: string) {
    super(`A subscription event asked for ${action}, which its poll did not read; events make no upstream calls.`);
  }
}

/**
 * An upstream client that answers only from one poll's recorded calls, for the context an
 * event is resolved in. It never reaches PAI.
 */
export function createReplayClient(calls: RecordedCalls, base: Pick<UpstreamClient, 'governor' | 'breakers' | 'origins'>): UpstreamClient {
  const call = async <Res>(op: OperationSpec<Res>, input?: CallInput): Promise<Res> => {
    const key = callKey(op, input);
    if (!Object.hasOwn(calls, key)) throw new UnrecordedCallError(op.action);
    return calls[key] as Res;
  };
  return {
    call,
    session: ({ onCacheHit }) => ({ call, callCount: 0, onCacheHit }),
    governor: base.governor,
    breakers: base.breakers,
    origins: base.origins,
    // An event's context shares nothing with other replicas.
    namespace: async () => 'replay',
  };
}
