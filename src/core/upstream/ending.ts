import { OperationEndedError } from '../errors.js';

/**
 * Why an Ending ends unless told otherwise: the operation is over (its response was sent or its
 * client went away), or every caller of a shared read has left. One instance for all: nobody
 * reads it but the client, and one per abort would build an Error and its stack.
 */
const OPERATION_ENDED = new OperationEndedError();

/**
 * What the upstream client reads of a signal that ends work: `aborted`, `reason` and 'abort'
 * listeners. An AbortSignal is one; so is an Ending, which costs a plain object where an
 * AbortController costs two EventTargets, and which the client makes once per operation and
 * once per upstream read.
 */
export interface EndSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: EndListener, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: EndListener): void;
}

/** A function, or an object called through `handleEvent` (as EventTarget calls one). */
export type EndListener = (() => void) | { handleEvent(): void };

/**
 * A signal and its controller in one: `abort(reason)` marks it aborted and calls each listener
 * once, in the order they were added; a listener added after that is never called (as with an
 * AbortSignal). Listeners are the client's own and do not throw.
 */
export class Ending implements EndSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: EndListener[] | undefined = undefined;

  addEventListener(_type: 'abort', listener: EndListener): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: EndListener): void {
    const listeners = this.listeners;
    const at = listeners ? listeners.indexOf(listener) : -1;
    if (at >= 0) listeners!.splice(at, 1);
  }

  abort(reason: unknown = OPERATION_ENDED): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (!listeners) return;
    for (const listener of listeners) {
      if (typeof listener === 'function') listener();
      else listener.handleEvent();
    }
  }
}

/** An AbortSignal that follows `signal`, for APIs that take nothing else (fetch, ky). */
export function asAbortSignal(signal: EndSignal | undefined): AbortSignal | undefined {
  if (!signal || signal instanceof AbortSignal) return signal;
  if (signal.aborted) return AbortSignal.abort(signal.reason);
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort(signal.reason));
  return controller.signal;
}
