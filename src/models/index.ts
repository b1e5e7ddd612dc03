import type { UpstreamSession } from '../core/upstream/client.js';
import { createModelsApi } from './models.api.js';
import { createModelLoaders } from './models.loaders.js';
import { createModelsService } from './models.service.js';

export { modelResolvers } from './models.resolvers.js';
export { ModelOps } from './models.api.js';
export type { ModelsService } from './models.service.js';
export { modelArgumentChecks } from './models.service.js';

/** The model domain for one request: its api over the request's upstream session, its loaders and its service. */
export function createModelsDomain(upstream: UpstreamSession) {
  const api = createModelsApi(upstream);
  return createModelsService(api, createModelLoaders(api));
}
