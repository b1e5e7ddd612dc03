import type { UpstreamAnswer } from './upstream/answers.js';

/** Where an operation's upstream answers go for tracing: its span (src/core/telemetry.ts). */
export interface UpstreamSpanSink {
  upstream(answer: UpstreamAnswer): void;
}

/**
 * What one GraphQL operation learns about the upstream answers it used: their RequestIds
 * (for `extensions.upstream`, so a frontend can quote them to Alibaba Cloud support) and,
 * with tracing on, a child span each. Made only for operations that asked for the extension
 * or while tracing is on; otherwise the upstream client is given no `onAnswer` and reports
 * nothing.
 */
export class UpstreamReport {
  /** RequestIds of the answers used, in the order they came in (own calls, shared and cached reads alike). */
  readonly requestIds: string[] = [];
  /** Answers taken from an identical read in flight for another operation. */
  shared = 0;
  /** Answers from the read cache (PAI_CACHE_TTLS). */
  cached = 0;
  /** The operation's span, once the telemetry plugin has started it. */
  span: UpstreamSpanSink | undefined = undefined;

  constructor(
    /** Whether the response carries `extensions.upstream`. */
    readonly expose: boolean,
    /** The trace context the operation span continues (the HTTP request's span); opaque here. */
    readonly parent: unknown,
  ) {}

  /** Given to the upstream session; a property, so it keeps `this` when passed along. */
  readonly onAnswer = (answer: UpstreamAnswer): void => {
    if (answer.requestId !== undefined) this.requestIds.push(answer.requestId);
    if (answer.via === 'coalesced') this.shared += 1;
    else if (answer.via === 'cache') this.cached += 1;
    this.span?.upstream(answer);
  };
}
