import type { UpstreamSession } from '../core/upstream/client.js';
import { createTensorboardsApi } from './tensorboards.api.js';
import { createTensorboardLoaders } from './tensorboards.loaders.js';
import { createTensorboardsService } from './tensorboards.service.js';

export { tensorboardResolvers } from './tensorboards.resolvers.js';
export { TensorboardOps } from './tensorboards.api.js';
export type { TensorboardsService } from './tensorboards.service.js';
export { tensorboardArgumentChecks } from './tensorboards.service.js';

/** The TensorBoard domain for one request. */
export function createTensorboardsDomain(upstream: UpstreamSession) {
  const api = createTensorboardsApi(upstream);
  return createTensorboardsService(api, createTensorboardLoaders(api));
}
