import { connectionCost, ONE_CALL, type CostModel } from '../core/plugins/cost.js';
import type { UpstreamSession } from '../core/upstream/client.js';
import { createTensorboardsApi } from './tensorboards.api.js';
import { createTensorboardLoaders } from './tensorboards.loaders.js';
import { createTensorboardsService } from './tensorboards.service.js';

export { tensorboardResolvers } from './tensorboards.resolvers.js';
export { TensorboardOps } from './tensorboards.api.js';
export type { TensorboardsService } from './tensorboards.service.js';
export { tensorboardArgumentChecks } from './tensorboards.service.js';
export { tensorboardId } from './tensorboards.inputs.js';
export { tensorboardFeeds, tensorboardSubscriptionResolvers } from './tensorboards.subscriptions.js';

/** The TensorBoard domain for one request. */
export function createTensorboardsDomain(upstream: UpstreamSession) {
  const api = createTensorboardsApi(upstream);
  return createTensorboardsService(api, createTensorboardLoaders(api, upstream.onCacheHit));
}

/** Upstream calls per field, for the cost estimate (see core/plugins/cost.ts). */
export const tensorboardCosts: CostModel = {
  'Query.tensorboards': connectionCost(100),
  'Query.tensorboard': ONE_CALL,
  'Tensorboard.sharedUrl': ONE_CALL,
  ...Object.fromEntries(['createTensorboard', 'startTensorboard', 'stopTensorboard', 'updateTensorboard', 'deleteTensorboard'].map((m) => [`Mutation.${m}`, ONE_CALL])),
  ...Object.fromEntries(['CreateTensorboardPayload', 'StartTensorboardPayload', 'StopTensorboardPayload', 'UpdateTensorboardPayload'].map((p) => [`${p}.tensorboard`, ONE_CALL])),
};
