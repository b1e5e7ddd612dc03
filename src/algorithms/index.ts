import { connectionCost, ONE_CALL, type CostModel } from '../core/plugins/cost.js';
import type { UpstreamSession } from '../core/upstream/client.js';
import { createAlgorithmsApi } from './algorithms.api.js';
import { createAlgorithmLoaders } from './algorithms.loaders.js';
import { createAlgorithmsService } from './algorithms.service.js';

export { algorithmResolvers } from './algorithms.resolvers.js';
export { AlgorithmOps } from './algorithms.api.js';
export type { AlgorithmsService } from './algorithms.service.js';
export { algorithmArgumentChecks } from './algorithms.service.js';
export { algorithmId, versionName as algorithmVersionName } from './algorithms.inputs.js';

/** The algorithm domain for one request. */
export function createAlgorithmsDomain(upstream: UpstreamSession) {
  const api = createAlgorithmsApi(upstream);
  return createAlgorithmsService(api, createAlgorithmLoaders(api, upstream.onCacheHit));
}

/** Upstream calls per field, for the cost estimate (see core/plugins/cost.ts). */
export const algorithmCosts: CostModel = {
  'Query.algorithms': connectionCost(100),
  'Query.algorithm': ONE_CALL,
  'Algorithm.versions': connectionCost(100),
  'Algorithm.version': ONE_CALL,
  // Served from GetAlgorithm; listed algorithms need one call each (an upper bound).
  'Algorithm.tenantId': ONE_CALL,
  'AlgorithmVersion.algorithm': ONE_CALL,
  'AlgorithmVersion.spec': ONE_CALL,
  ...Object.fromEntries(['createAlgorithm', 'updateAlgorithm', 'deleteAlgorithm', 'createAlgorithmVersion', 'updateAlgorithmVersion', 'deleteAlgorithmVersion'].map((m) => [`Mutation.${m}`, ONE_CALL])),
  'CreateAlgorithmPayload.algorithm': ONE_CALL,
  'UpdateAlgorithmPayload.algorithm': ONE_CALL,
  'CreateAlgorithmVersionPayload.algorithmVersion': ONE_CALL,
  'UpdateAlgorithmVersionPayload.algorithmVersion': ONE_CALL,
};
