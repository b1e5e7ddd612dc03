import { connectionCost, ONE_CALL, type CostModel } from '../core/plugins/cost.js';
import type { UpstreamSession } from '../core/upstream/client.js';
import { createModelsApi } from './models.api.js';
import { createModelLoaders } from './models.loaders.js';
import { createModelsService } from './models.service.js';

export { modelResolvers } from './models.resolvers.js';
export { ModelOps } from './models.api.js';
export type { ModelsService } from './models.service.js';
export { modelArgumentChecks } from './models.service.js';
export { modelId, versionName } from './models.inputs.js';

/** The model domain for one request: its api over the request's upstream session, its loaders and its service. */
export function createModelsDomain(upstream: UpstreamSession) {
  const api = createModelsApi(upstream);
  return createModelsService(api, createModelLoaders(api, upstream.onCacheHit));
}

/** Upstream calls per field, for the cost estimate (see core/plugins/cost.ts). */
export const modelCosts: CostModel = {
  'Query.models': connectionCost(100),
  'Query.model': ONE_CALL,
  'Model.versions': connectionCost(100),
  'Model.version': ONE_CALL,
  'ModelVersion.model': ONE_CALL,
  ...Object.fromEntries(
    ['createModel', 'updateModel', 'deleteModel', 'createModelVersion', 'updateModelVersion', 'deleteModelVersion', 'addModelLabels', 'removeModelLabels', 'addModelVersionLabels', 'removeModelVersionLabels'].map((m) => [`Mutation.${m}`, ONE_CALL]),
  ),
  ...Object.fromEntries(['CreateModelPayload', 'UpdateModelPayload', 'AddModelLabelsPayload', 'RemoveModelLabelsPayload'].map((p) => [`${p}.model`, ONE_CALL])),
  ...Object.fromEntries(['CreateModelVersionPayload', 'UpdateModelVersionPayload', 'AddModelVersionLabelsPayload', 'RemoveModelVersionLabelsPayload'].map((p) => [`${p}.modelVersion`, ONE_CALL])),
};
