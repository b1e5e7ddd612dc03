import { randomUUID } from 'node:crypto';
import { ErrorCode, GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { stableKey } from '../loaders.js';
import type { UpstreamClient, UpstreamSession } from '../upstream/client.js';
import type { ProductName } from '../upstream/products.js';
import { createRecordingSession, type RecordedCalls } from './replay.js';

/**
 * Poll loops behind GraphQL subscriptions. PAI has no webhooks, so a subscription to a
 * resource is a poll of it: one loop per resource per gateway, shared by every subscriber
 * (the first read included: twenty subscribers arriving together cost one read), stopped
 * when the last one leaves. With a coordinator (Redis), one loop per resource across all
 * replicas: the lease holder polls and shares each change, the others listen.
 *
 * A loop is keyed by a feed: how to name a resource from the subscription's arguments and how
 * to read it. Adding a subscription to another resource is a feed and a schema field.
 */

export interface Feed<Args = Record<string, unknown>> {
  /** The kind of resource, in lease keys, logs and metrics: `tensorboard`. */
  readonly kind: string;
  /** What messages call one, e.g. `TensorBoard`. */
  readonly noun: string;
  /**
   * The upstream reads `fetch` makes. A field whose cost (see plugins/cost.ts) is shared with
   * one of them is answered from the poll; any other field with an upstream cost is refused in
   * a subscription, because each event would cost each subscriber a call.
   */
  readonly actions: readonly string[];
  /** Checks the arguments (the query's own rules: BadUserInputError, before any call) and names the resource. */
  key(args: Args): string;
  /**
   * Reads the resource as a query would, through `upstream`; null when it does not exist (any
   * more). What it returns is compared between polls, so it holds what a client can see and
   * nothing that changes with every answer (such as PAI's RequestId). `origins` are where each
   * product is called (EAS paths name the region of its endpoint).
   */
  fetch(upstream: UpstreamSession, key: string, origins: Readonly<Record<ProductName, string>>): Promise<unknown>;
}

/** One state of a resource: the upstream answers it was read from, and a digest to compare. */
export interface Snapshot {
  readonly fingerprint: string;
  readonly calls: RecordedCalls;
}

/** What the replicas tell each other about a resource. */
export type SharedUpdate = { readonly snapshot: Snapshot } | { readonly gone: true };

/**
 * How replicas agree on who polls (one lease per resource) and share what it reads. Every
 * method fails soft: without an answer from the store a replica polls for itself.
 */
export interface FeedCoordinator {
  /** Whether this replica polls `name` now: takes its lease if free, renews it if ours. */
  hold(name: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (the loop stopped here), so another replica takes over at once. */
  release(name: string): Promise<void>;
  /** Keeps `update` as the resource's current state for `ttlMs`, and tells the others when it `changed`. */
  share(name: string, update: SharedUpdate, ttlMs: number, changed: boolean): Promise<void>;
  /** The state the holder last shared, if still kept. */
  last(name: string): Promise<SharedUpdate | undefined>;
  /** Calls `listener` with every update another replica shares. */
  listen(listener: (name: string, update: SharedUpdate) => void): void;
  close(): Promise<void>;
}

/** Timers, injectable so tests move poll loops by hand instead of sleeping. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What a poll loop's ticks report (for metrics). */
export interface FeedEvents {
  onPoll?(kind: string, outcome: 'changed' | 'unchanged' | 'gone' | 'error'): void;
}

export interface FeedHubOptions {
  readonly client: UpstreamClient;
  /** SUBSCRIPTION_POLL_MS. */
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly scheduler?: Scheduler | undefined;
  /** Shares loops across replicas (Redis); without it this process polls every resource it watches. */
  readonly coordinator?: FeedCoordinator | undefined;
  readonly events?: FeedEvents | undefined;
}

export interface FeedHub {
  /**
   * The states of one resource for one subscriber: the current one first, then each change;
   * ends by throwing NOT_FOUND when the resource is gone (or the first read's error). Leaving
   * (`return()`) takes effect at once, even while waiting.
   */
  watch<A>(feed: Feed<A>, args: A): AsyncIterableIterator<Snapshot>;
  /** Poll loops running here, and how many of them this replica holds the lease of. */
  stats(): { loops: number; polling: number; watchers: number };
  /** Ends every loop (subscribers see their stream end) and gives up the leases. */
  close(): Promise<void>;
}

interface Watcher {
  latest: Snapshot | undefined;
  end: GatewayError | undefined;
  done: boolean;
  wake: (() => void) | undefined;
}

interface Loop {
  readonly name: string;
  readonly feed: Feed<never>;
  readonly key: string;
  readonly watchers: Set<Watcher>;
  readonly abort: AbortController;
  snapshot: Snapshot | undefined;
  timer: unknown;
  stopped: boolean;
  /** Whether this replica held the lease at its last tick (always, without a coordinator). */
  holding: boolean;
}

const notFound = (loop: Loop) => new GatewayError(ErrorCode.NOT_FOUND, `${loop.feed.noun} ${loop.key} does not exist (any more): this subscription has ended.`);

/** A failure as subscribers may see it: our errors as they are, anything else masked. */
const asGatewayError = (err: unknown) => (isGatewayError(err) ? err : new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.'));

export function createFeedHub(opts: FeedHubOptions): FeedHub {
  const scheduler = opts.scheduler ?? systemScheduler;
  const { coordinator, logger } = opts;
  // A holder that stops renewing (it died) loses the lease after three intervals.
  const leaseMs = 3 * opts.intervalMs;
  const loops = new Map<string, Loop>();
  /** Leases being given up; closing waits for them, so a successor need not wait for expiry. */
  const releasing = new Set<Promise<void>>();
  let closed = false;

  function deliver(loop: Loop, snapshot: Snapshot): boolean {
    if (loop.snapshot?.fingerprint === snapshot.fingerprint) return false;
    loop.snapshot = snapshot;
    for (const w of loop.watchers) {
      w.latest = snapshot;
      w.wake?.();
    }
    return true;
  }

  function end(loop: Loop, error: GatewayError): void {
    for (const w of loop.watchers) {
      w.end = error;
      w.wake?.();
    }
    stop(loop);
  }

  function stop(loop: Loop): void {
    if (loop.stopped) return;
    loop.stopped = true;
    if (loop.timer !== undefined) scheduler.clearTimeout(loop.timer);
    loop.timer = undefined;
    loop.abort.abort();
    if (loops.get(loop.name) === loop) loops.delete(loop.name);
    if (loop.holding && coordinator) {
      const released = coordinator.release(loop.name).finally(() => releasing.delete(released));
      releasing.add(released);
    }
  }

  /** One read of the resource; null when it is gone. */
  async function read(loop: Loop): Promise<Snapshot | null> {
    const { session, calls } = createRecordingSession(opts.client, { signal: loop.abort.signal, requestId: `subscription-${randomUUID()}` });
    const record = await loop.feed.fetch(session, loop.key, opts.client.origins);
    return record === null || record === undefined ? null : { fingerprint: stableKey(record), calls };
  }

  async function tick(loop: Loop): Promise<void> {
    loop.timer = undefined;
    try {
      loop.holding = coordinator ? await coordinator.hold(loop.name, leaseMs) : true;
      if (loop.stopped) return;
      if (loop.holding) {
        const snapshot = await read(loop);
        if (loop.stopped) return;
        if (snapshot === null) {
          opts.events?.onPoll?.(loop.feed.kind, 'gone');
          await coordinator?.share(loop.name, { gone: true }, leaseMs, true);
          end(loop, notFound(loop));
          return;
        }
        const changed = deliver(loop, snapshot);
        opts.events?.onPoll?.(loop.feed.kind, changed ? 'changed' : 'unchanged');
        // Kept every tick (a replica whose first subscriber arrives now reads it instead of
        // polling); published only on change.
        await coordinator?.share(loop.name, { snapshot }, leaseMs, changed);
      } else if (coordinator) {
        // Pub/sub drops what is published while a connection is down; the kept state does not.
        const last = await coordinator.last(loop.name);
        if (last && !loop.stopped) apply(loop, last);
      }
    } catch (err) {
      if (loop.stopped) return;
      opts.events?.onPoll?.(loop.feed.kind, 'error');
      // The first read failing ends the subscriptions waiting for it (their clients may retry);
      // later failures only skip a beat: subscribers keep the last state they were sent.
      if (!loop.snapshot) {
        end(loop, asGatewayError(err));
        return;
      }
      logger.warn({ feed: loop.feed.kind, key: loop.key, err: { name: (err as Error).name, message: (err as Error).message } }, 'subscription poll failed; trying again next interval');
    }
    if (!loop.stopped) loop.timer = scheduler.setTimeout(() => void tick(loop), opts.intervalMs);
  }

  function apply(loop: Loop, update: SharedUpdate): void {
    if ('gone' in update) end(loop, notFound(loop));
    else deliver(loop, update.snapshot);
  }

  coordinator?.listen((name, update) => {
    const loop = loops.get(name);
    if (loop && !loop.stopped) apply(loop, update);
  });

  return {
    watch<A>(feed: Feed<A>, args: A): AsyncIterableIterator<Snapshot> {
      if (closed) throw new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'The gateway is shutting down: subscribe again (another replica will answer).');
      const key = feed.key(args);
      const name = `${feed.kind}:${key}`;
      const w: Watcher = { latest: undefined, end: undefined, done: false, wake: undefined };
      let loop = loops.get(name);
      if (loop) {
        w.latest = loop.snapshot;
        loop.watchers.add(w);
      } else {
        loop = { name, feed: feed, key, watchers: new Set([w]), abort: new AbortController(), snapshot: undefined, timer: undefined, stopped: false, holding: false };
        loops.set(name, loop);
        void tick(loop);
      }
      const own = loop;
      const leave = () => {
        if (w.done) return;
        w.done = true;
        own.watchers.delete(w);
        w.wake?.();
        if (own.watchers.size === 0) stop(own);
      };
      const iterator: AsyncIterableIterator<Snapshot> = {
        [Symbol.asyncIterator]: () => iterator,
        async next(): Promise<IteratorResult<Snapshot>> {
          for (;;) {
            if (w.done) return { done: true, value: undefined };
            if (w.latest) {
              const value = w.latest;
              w.latest = undefined;
              return { done: false, value };
            }
            if (w.end) {
              const error = w.end;
              leave();
              throw error;
            }
            // A stopped loop with nothing left to say (the hub closed): the stream ends.
            if (own.stopped) {
              leave();
              return { done: true, value: undefined };
            }
            await new Promise<void>((resolve) => (w.wake = resolve));
            w.wake = undefined;
          }
        },
        async return(): Promise<IteratorResult<Snapshot>> {
          leave();
          return { done: true, value: undefined };
        },
      };
      return iterator;
    },

    stats() {
      let polling = 0;
      let watchers = 0;
      for (const loop of loops.values()) {
        if (loop.holding) polling += 1;
        watchers += loop.watchers.size;
      }
      return { loops: loops.size, polling, watchers };
    },

    async close() {
      closed = true;
      for (const loop of [...loops.values()]) {
        stop(loop);
        for (const w of loop.watchers) w.wake?.();
      }
      await Promise.allSettled([...releasing]);
      await coordinator?.close();
    },
  };
}
