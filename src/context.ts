import { randomUUID } from 'node:crypto';
import type { Caller } from './core/auth.js';
import type { EnumReader } from './core/enums.js';
import type { FeedHub } from './core/subscriptions/feeds.js';
import type { UpstreamClient, UpstreamSession } from './core/upstream/client.js';
import type { EndSignal } from './core/upstream/ending.js';
import type { UpstreamReport } from './core/upstream-report.js';
import { createAlgorithmsDomain, type AlgorithmsService } from './algorithms/index.js';
import { createEvalTasksDomain, type EvalTasksService } from './eval-tasks/index.js';
import { createModelsDomain, type ModelsService } from './models/index.js';
import { createTensorboardsDomain, type TensorboardsService } from './tensorboards/index.js';
import { createServicesDomain, easClusterId, type ServicesService } from './services/index.js';

/** What every resolver receives. Built per request: loaders never outlive one operation. */
export interface Context {
  readonly requestId: string;
  /** Who is calling (authenticated before the operation was parsed). */
  readonly caller: Caller;
  /** Whether the request came from the supergraph router (ROUTER_SECRET), or no secret is set. */
  readonly fromRouter: boolean;
  readonly upstream: UpstreamSession;
  /** Reads PAI's spellings of enum values; one per server, so each unknown value is logged once. */
  readonly enums: EnumReader;
  readonly models: ModelsService;
  readonly algorithms: AlgorithmsService;
  readonly evalTasks: EvalTasksService;
  readonly tensorboards: TensorboardsService;
  readonly services: ServicesService;
  /** The poll loops subscriptions watch; set only for a subscription over WebSocket. */
  readonly feeds?: FeedHub | undefined;
  /** The upstream answers this operation used; set only when it asked for them or tracing is on. */
  readonly upstreamReport?: UpstreamReport | undefined;
}

export interface ContextOptions {
  readonly client: UpstreamClient;
  readonly enums: EnumReader;
  readonly concurrency: number;
  readonly requestId?: string | undefined;
  /** Ends the operation's upstream work (see server.ts: when its response is sent or its client leaves). */
  readonly signal?: EndSignal | undefined;
  /** Epoch ms by which every upstream call of this operation must be done. */
  readonly deadline?: number | undefined;
  readonly caller: Caller;
  readonly fromRouter?: boolean;
  readonly onCacheHit?: (() => void) | undefined;
  readonly feeds?: FeedHub | undefined;
  readonly upstreamReport?: UpstreamReport | undefined;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Accepts a caller's x-request-id only if it is short and plain; otherwise makes one. */
export const readRequestId = (header: unknown): string => (typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID());

/** The domains a request has used so far; shared by the context and Apollo's copy of it. */
interface Domains {
  models?: ModelsService;
  algorithms?: AlgorithmsService;
  evalTasks?: EvalTasksService;
  tensorboards?: TensorboardsService;
  services?: ServicesService;
  /** The EAS endpoint, whose host names the region (ClusterId) of EAS paths. */
  readonly easCluster: string;
}

/**
 * Each domain (its api, a handful of DataLoaders and its service) is built on first use: most
 * operations touch one domain, and building all five per request took about a tenth of the
 * gateway's CPU in profiles of small operations. The getters sit on the prototype because
 * Apollo copies the context's own properties into a new object before executing
 * (`Object.assign`), which would call own getters and build every domain; the copy keeps the
 * prototype and shares `domains`, so resolvers still build each domain once per request.
 */
class RequestContext implements Context {
  constructor(
    readonly requestId: string,
    readonly caller: Caller,
    readonly fromRouter: boolean,
    readonly upstream: UpstreamSession,
    readonly enums: EnumReader,
    private readonly domains: Domains,
    readonly feeds?: FeedHub | undefined,
    readonly upstreamReport?: UpstreamReport | undefined,
  ) {}

  get models(): ModelsService {
    return (this.domains.models ??= createModelsDomain(this.upstream));
  }

  get algorithms(): AlgorithmsService {
    return (this.domains.algorithms ??= createAlgorithmsDomain(this.upstream));
  }

  get evalTasks(): EvalTasksService {
    return (this.domains.evalTasks ??= createEvalTasksDomain(this.upstream));
  }

  get services(): ServicesService {
    return (this.domains.services ??= createServicesDomain(this.upstream, easClusterId(this.domains.easCluster)));
  }

  get tensorboards(): TensorboardsService {
    return (this.domains.tensorboards ??= createTensorboardsDomain(this.upstream));
  }
}

export function createContext(opts: ContextOptions): Context {
  const requestId = opts.requestId ?? randomUUID();
  const upstream = opts.client.session({ concurrency: opts.concurrency, signal: opts.signal, requestId, deadline: opts.deadline, onCacheHit: opts.onCacheHit, onAnswer: opts.upstreamReport?.onAnswer });
  return new RequestContext(requestId, opts.caller, opts.fromRouter ?? true, upstream, opts.enums, { easCluster: opts.client.origins.eas }, opts.feeds, opts.upstreamReport);
}
