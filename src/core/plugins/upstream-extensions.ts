import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { UpstreamReport } from '../upstream-report.js';

/**
 * `extensions.upstream { calls requestIds shared cached }` on the responses of operations that
 * ask for it: PAI's RequestIds of the answers an operation used, so a frontend can quote them
 * to Alibaba Cloud support. Asked for with the request header `x-pai-graph-debug: 1` in any
 * environment, and given by default with NODE_ENV=development (demo mode included); never by
 * default in production.
 *
 * Production honours the header for every caller who may run the operation: a RequestId is
 * not a secret (only the account that made the call can have support look it up), the call
 * count is already in `extensions.cost`, and asking costs the gateway one small record per
 * operation. Operations that do not ask cost nothing: the upstream client is given no
 * callback and this plugin adds no hooks.
 */

export const DEBUG_HEADER = 'x-pai-graph-debug';

/** Whether a request gets `extensions.upstream`: asked by header, or by default in development. */
export function wantsUpstreamExtensions(env: 'development' | 'production' | 'test', header: string | string[] | undefined): boolean {
  return env === 'development' || header === '1' || header === 'true';
}

interface ReportContext {
  readonly upstream: { readonly callCount: number };
  readonly upstreamReport?: UpstreamReport | undefined;
}

export function createUpstreamExtensionsPlugin<C extends ReportContext>(): ApolloServerPlugin<C> {
  // One listener for every operation that asks: it reads everything from the context.
  const listener: GraphQLRequestListener<C> = {
    async willSendResponse({ response, contextValue }) {
      const report = contextValue.upstreamReport;
      if (response.body.kind !== 'single' || !report) return;
      const result = response.body.singleResult;
      result.extensions = {
        ...result.extensions,
        upstream: { calls: contextValue.upstream.callCount, requestIds: [...report.requestIds], shared: report.shared, cached: report.cached },
      };
    },
  };
  return {
    async requestDidStart({ contextValue }) {
      return contextValue.upstreamReport?.expose ? listener : undefined;
    },
  };
}
