import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { Attributes, Context as OtelContext, Span, Tracer } from '@opentelemetry/api';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { Caller } from './auth.js';
import type { TelemetrySettings } from './config.js';
import type { UpstreamAnswer } from './upstream/answers.js';
import type { UpstreamReport, UpstreamSpanSink } from './upstream-report.js';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is set:
 *
 *   request              @fastify/otel, Fastify's own instrumentation: one SERVER span per
 *                        HTTP request, continuing the caller's W3C `traceparent`
 *   query ModelList      one span per GraphQL operation, from an Apollo plugin
 *   aiworkspace GetModel one CLIENT span per upstream call the operation used (shared and
 *                        cached reads too), with PAI's RequestId, status, retries and the
 *                        governor's wait
 *
 * The operation span is made by a plugin, not by @opentelemetry/instrumentation-graphql: that
 * one patches graphql-js through module-loading hooks, which under ESM need a loader
 * registered before anything imports graphql (`node --import`), and its current releases
 * need Node 22. Parents are passed explicitly (request -> operation -> upstream call), so no
 * AsyncLocalStorage context manager runs, and upstream spans are made after the fact from
 * the times the client reports: the client holds no span while a call is in flight.
 *
 * Nothing here is loaded unless tracing is on: main.ts calls createTelemetry, which imports the
 * SDK dynamically; without an endpoint it returns undefined and no span is ever made.
 */

export interface Telemetry {
  /** The operation span: started when Apollo starts the request, ended when it answers. */
  readonly plugin: ApolloServerPlugin<TracedContext>;
  /** @fastify/otel: registered before any route, so every route gets its request span. */
  readonly fastifyPlugin: FastifyPluginCallback;
  /** The trace context of an HTTP request (its @fastify/otel span): the operation span's parent. */
  parentOf(request: FastifyRequest): unknown;
  /** Exports every ended span now. */
  forceFlush(): Promise<void>;
  /** Exports what is left and stops exporting (on shutdown). */
  shutdown(): Promise<void>;
}

interface TracedContext {
  readonly requestId: string;
  readonly caller: Caller;
  readonly upstream: { readonly callCount: number };
  readonly upstreamReport?: UpstreamReport | undefined;
}

const VERSION = '0.1.0';

/** HTTP probes that would fill traces with nothing to see. */
const UNTRACED = /^\/(healthz|metrics)(\?|$)/;

/** Attribute names from the OpenTelemetry semantic conventions (GraphQL's are still incubating). */
const GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';

/** Loads the OpenTelemetry SDK and starts exporting, or returns undefined when tracing is off. */
export async function createTelemetry(settings: TelemetrySettings | undefined): Promise<Telemetry | undefined> {
  if (!settings) return undefined;
  const [api, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { W3CTraceContextPropagator }, semconv, { FastifyOtelInstrumentation }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    import('@opentelemetry/semantic-conventions'),
    import('@fastify/otel'),
  ]);
  const { SpanKind, SpanStatusCode, ROOT_CONTEXT, trace } = api;

  const exporter = new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers ? (JSON.parse(settings.headers.reveal()) as Record<string, string>) : {} });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: settings.serviceName, [semconv.ATTR_SERVICE_VERSION]: VERSION }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer: Tracer = provider.getTracer('pai-graph', VERSION);

  // @fastify/otel reads the caller's traceparent through the global propagator, the one
  // global this sets (every OpenTelemetry SDK setup does); spans go to this provider only.
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const fastifyOtel = new FastifyOtelInstrumentation({ instrumentHooks: false, ignorePaths: ({ url }: { url: string }) => UNTRACED.test(url) });
  fastifyOtel.setTracerProvider(provider);

  /** The span of one operation, and the parent of its upstream calls' spans. */
  class OperationSpan implements UpstreamSpanSink {
    readonly context: OtelContext;
    constructor(readonly span: Span) {
      this.context = trace.setSpan(ROOT_CONTEXT, span);
    }

    upstream(answer: UpstreamAnswer): void {
      const attributes: Attributes = {
        'pai.product': answer.product,
        'pai.action': answer.action,
        [semconv.ATTR_HTTP_REQUEST_METHOD]: answer.method,
        'pai.via': answer.via,
        'pai.attempts': answer.attempts,
        'pai.retries': Math.max(0, answer.attempts - 1),
        'pai.governor_wait_ms': Math.round(answer.governorWaitMs * 10) / 10,
      };
      if (answer.status !== undefined) attributes[semconv.ATTR_HTTP_RESPONSE_STATUS_CODE] = answer.status;
      if (answer.requestId !== undefined) attributes['pai.request_id'] = answer.requestId;
      if (answer.error !== undefined) attributes[semconv.ATTR_ERROR_TYPE] = answer.error;
      const span = tracer.startSpan(`${answer.product} ${answer.action}`, { kind: SpanKind.CLIENT, startTime: performance.timeOrigin + answer.startedAt, attributes }, this.context);
      if (answer.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: answer.error });
      span.end(performance.timeOrigin + answer.endedAt);
    }
  }

  const spanOf = (contextValue: TracedContext) => {
    const sink = contextValue.upstreamReport?.span;
    return sink instanceof OperationSpan ? sink.span : undefined;
  };
  const listener: GraphQLRequestListener<TracedContext> = {
    async didResolveOperation({ operation, operationName, contextValue }) {
      const span = spanOf(contextValue);
      if (!span || !operation) return;
      const name = operationName ?? operation.name?.value;
      span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
      span.setAttribute(GRAPHQL_OPERATION_TYPE, operation.operation);
      if (name) span.setAttribute(GRAPHQL_OPERATION_NAME, name);
    },
    async willSendResponse({ response, contextValue }) {
      const span = spanOf(contextValue);
      const report = contextValue.upstreamReport;
      if (!span || !report) return;
      span.setAttributes({ 'pai.caller': contextValue.caller.name, 'pai.gateway_request_id': contextValue.requestId, 'pai.upstream.calls': contextValue.upstream.callCount, 'pai.upstream.shared': report.shared, 'pai.upstream.cached': report.cached });
      const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
      if (errors?.length) {
        const code = errors[0]?.extensions?.code;
        span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'GraphQL error' });
        span.setAttribute(semconv.ATTR_ERROR_TYPE, typeof code === 'string' ? code : 'GRAPHQL_ERROR');
      }
      span.end();
    },
  };

  return {
    plugin: {
      async requestDidStart({ contextValue }) {
        const report = contextValue.upstreamReport;
        if (!report) return;
        const parent = (report.parent as OtelContext | undefined) ?? ROOT_CONTEXT;
        report.span = new OperationSpan(tracer.startSpan('GraphQL Operation', { kind: SpanKind.INTERNAL }, parent));
        return listener;
      },
    },
    fastifyPlugin: fastifyOtel.plugin() as unknown as FastifyPluginCallback,
    parentOf(request) {
      return (request as FastifyRequest & { opentelemetry?: () => { context?: OtelContext } }).opentelemetry?.().context ?? ROOT_CONTEXT;
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
