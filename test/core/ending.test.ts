import { describe, expect, it } from '@jest/globals';
import { OperationEndedError } from '../../src/core/errors.js';
import { asAbortSignal, Ending } from '../../src/core/upstream/ending.js';

/** The plain-object signal the client ends operations and shared reads with. */
describe('Ending', () => {
  it('calls each listener once, in order, functions and handleEvent objects alike, with the reason set', () => {
    const ending = new Ending();
    const heard: string[] = [];
    const reason = new Error('ended');
    ending.addEventListener('abort', () => heard.push(`fn ${ending.aborted} ${ending.reason === reason}`));
    ending.addEventListener('abort', { handleEvent: () => heard.push('object') });
    const removed = () => heard.push('removed');
    ending.addEventListener('abort', removed);
    ending.removeEventListener('abort', removed);
    expect([ending.aborted, ending.reason]).toEqual([false, undefined]);
    ending.abort(reason);
    ending.abort(new Error('again'));
    expect(heard).toEqual(['fn true true', 'object']);
    expect(ending.reason).toBe(reason);
    // As with an AbortSignal, a listener added once it is aborted is never called.
    ending.addEventListener('abort', () => heard.push('late'));
    ending.abort(reason);
    expect(heard).toEqual(['fn true true', 'object']);
    // Without a reason it ends with the one shared OperationEndedError, built once.
    const [a, b] = [new Ending(), new Ending()];
    a.abort();
    b.abort();
    expect(a.reason).toBeInstanceOf(OperationEndedError);
    expect(b.reason).toBe(a.reason);
  });

  it('becomes an AbortSignal for APIs that take nothing else, following it', () => {
    const ending = new Ending();
    const signal = asAbortSignal(ending)!;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    const reason = new Error('ended');
    ending.abort(reason);
    expect([signal.aborted, signal.reason]).toEqual([true, reason]);
    const ended = asAbortSignal(ending)!;
    expect([ended.aborted, ended.reason]).toEqual([true, reason]);
    const native = new AbortController().signal;
    expect(asAbortSignal(native)).toBe(native);
    expect(asAbortSignal(undefined)).toBeUndefined();
  });
});
