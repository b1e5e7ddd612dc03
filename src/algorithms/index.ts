import type { UpstreamSession } from '../core/upstream/client.js';
import { createAlgorithmsApi } from './algorithms.api.js';
import { createAlgorithmLoaders } from './algorithms.loaders.js';
import { createAlgorithmsService } from './algorithms.service.js';

export { algorithmResolvers } from './algorithms.resolvers.js';
export { AlgorithmOps } from './algorithms.api.js';
export type { AlgorithmsService } from './algorithms.service.js';
export { algorithmArgumentChecks } from './algorithms.service.js';

/** The algorithm domain for one request. */
export function createAlgorithmsDomain(upstream: UpstreamSession) {
  const api = createAlgorithmsApi(upstream);
  return createAlgorithmsService(api, createAlgorithmLoaders(api));
}
