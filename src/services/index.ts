import { connectionCost, ONE_CALL, type CostModel } from '../core/plugins/cost.js';
import type { UpstreamSession } from '../core/upstream/client.js';
import { regionOfOrigin } from '../core/upstream/products.js';
import { createServicesApi } from './services.api.js';
import { createServiceLoaders } from './services.loaders.js';
import { createServicesService } from './services.service.js';

export { serviceResolvers } from './services.resolvers.js';
export { ServiceOps } from './services.api.js';
export { SECRET_FIELDS as SERVICE_SECRET_FIELDS } from './services.inputs.js';
export type { ServicesService } from './services.service.js';
export { serviceArgumentChecks } from './services.service.js';
export { serviceUid } from './services.inputs.js';
export { serviceFeeds, serviceSubscriptionResolvers } from './services.subscriptions.js';

/**
 * The region whose services the gateway manages: EAS paths name it (`ClusterId`), and it must
 * be the region of the EAS endpoint. Read from the endpoint's host; a host that names none (a
 * proxy, the emulator) serves cn-hangzhou, the emulator's region.
 */
export const DEFAULT_EAS_REGION = 'cn-hangzhou';
export const easClusterId = (easOrigin: string): string => regionOfOrigin(easOrigin) ?? DEFAULT_EAS_REGION;

/** The service domain for one request, managing the services of `clusterId`. */
export function createServicesDomain(upstream: UpstreamSession, clusterId: string) {
  const api = createServicesApi(upstream, clusterId);
  return createServicesService(api, createServiceLoaders(api, upstream.onCacheHit));
}

/** A field only DescribeService returns: one call per listed service, shared by all such fields. */
const DETAIL: CostModel[string] = { calls: () => 1, shared: 'DescribeService' };

/** Upstream calls per field, for the cost estimate (see core/plugins/cost.ts). */
export const serviceCosts: CostModel = {
  'Query.services': connectionCost(100),
  'Query.service': ONE_CALL,
  // One ListServices per model's versions together; counted per version, an upper bound.
  'ModelVersion.services': connectionCost(100),
  'Service.internetEndpoint': DETAIL,
  'Service.intranetEndpoint': DETAIL,
  'Service.secondaryInternetEndpoint': DETAIL,
  'Service.secondaryIntranetEndpoint': DETAIL,
  'Service.roleAttrs': DETAIL,
  'Service.modelVersion': ONE_CALL,
  // The version lookup and CreateService; the payload's service costs nothing more.
  'Mutation.deployModelVersion': { calls: () => 2 },
  ...Object.fromEntries(['startService', 'stopService', 'updateService', 'deleteService'].map((m) => [`Mutation.${m}`, ONE_CALL])),
  ...Object.fromEntries(['StartServicePayload', 'StopServicePayload', 'UpdateServicePayload'].map((p) => [`${p}.service`, ONE_CALL])),
};
