import type { Resolvers } from '../__generated__/resolvers-types.js';
import { ServiceOrderField, ServiceStatus } from './services.enums.js';
import { serviceIdOf } from './services.service.js';

export const serviceResolvers: Resolvers = {
  Query: {
    services: (_p, args, { services }) => services.list(args),
    service: (_p, { name }, { services }) => services.service(name),
  },

  Mutation: {
    deployModelVersion: (_p, { input }, { services, models }) => services.deployModelVersion(input, models),
    startService: (_p, { input }, { services }) => services.startService(input),
    stopService: (_p, { input }, { services }) => services.stopService(input),
    updateService: (_p, { input }, { services }) => services.updateService(input),
    deleteService: (_p, { input }, { services }) => services.deleteService(input),
  },

  ModelVersion: {
    services: (v, args, { services }) => services.ofVersion(v, args),
  },

  Service: {
    // Federation: other subgraphs reference services by name.
    __resolveReference: (ref, { services }) => services.service(ref.name),
    name: (s) => s.ServiceName,
    id: (s) => serviceIdOf(s),
    uid: (s) => s.ServiceUid || null,
    status: (s, _a, { enums }) => enums.read('ServiceStatus', ServiceStatus, s.Status),
    statusRaw: (s) => s.Status ?? null,
    reason: (s) => s.Reason || null,
    message: (s) => s.Message || null,
    region: (s) => s.Region || null,
    internetEndpoint: (s, _a, { services }) => services.detailField(s, 'InternetEndpoint'),
    intranetEndpoint: (s, _a, { services }) => services.detailField(s, 'IntranetEndpoint'),
    secondaryInternetEndpoint: (s, _a, { services }) => services.detailField(s, 'SecondaryInternetEndpoint'),
    secondaryIntranetEndpoint: (s, _a, { services }) => services.detailField(s, 'SecondaryIntranetEndpoint'),
    hasAccessToken: (s) => s.HasAccessToken,
    image: (s) => s.Image || null,
    config: (s) => s.ServiceConfig ?? null,
    extraData: (s) => s.ExtraData ?? null,
    appConfig: (s) => s.AppConfig ?? null,
    appSpecName: (s) => s.AppSpecName || null,
    appType: (s) => s.AppType || null,
    appVersion: (s) => s.AppVersion || null,
    cpu: (s) => s.Cpu ?? null,
    memory: (s) => s.Memory ?? null,
    gpu: (s) => s.Gpu ?? null,
    gpuCorePercentage: (s) => s.GPUCorePercentage ?? null,
    gpuMemory: (s) => s.GPUMemory ?? null,
    totalInstances: (s) => s.TotalInstance ?? null,
    runningInstances: (s) => s.RunningInstance ?? null,
    pendingInstances: (s) => s.PendingInstance ?? null,
    instancesByResource: (s) => (s.InstanceCountInResource ? { dedicated: s.InstanceCountInResource.Dedicated ?? null, public: s.InstanceCountInResource.Public ?? null, quota: s.InstanceCountInResource.Quota ?? null } : null),
    currentVersion: (s) => s.CurrentVersion ?? null,
    latestVersion: (s) => s.LatestVersion ?? null,
    weight: (s) => s.Weight ?? null,
    labels: (s) => s.Labels,
    modelVersion: (s, _a, { services, models }) => services.modelVersion(s, models),
    workspaceId: (s) => s.WorkspaceId || null,
    source: (s) => s.Source || null,
    role: (s) => s.Role || null,
    roleAttrs: (s, _a, { services }) => services.detailField(s, 'RoleAttrs'),
    serviceGroup: (s) => s.ServiceGroup || null,
    safetyLock: (s) => s.SafetyLock || null,
    trafficState: (s) => s.TrafficState || null,
    resource: (s) => s.Resource || null,
    resourceAlias: (s) => s.ResourceAlias || null,
    quotaId: (s) => s.QuotaId || null,
    gateway: (s) => s.Gateway || null,
    namespace: (s) => s.Namespace || null,
    workloadType: (s) => s.WorkloadType || null,
    autoscalerEnabled: (s) => s.AutoscalerEnabled ?? null,
    cronscalerEnabled: (s) => s.CronscalerEnabled ?? null,
    resourceBurstable: (s) => s.ResourceBurstable ?? null,
    callerUid: (s) => s.CallerUid || null,
    parentUid: (s) => s.ParentUid || null,
    createdAt: (s) => s.CreateTime ?? null,
    updatedAt: (s) => s.UpdateTime ?? null,
  },

  ServiceLabel: {
    key: (l) => l.LabelKey,
    value: (l) => l.LabelValue ?? null,
  },

  DeployModelVersionPayload: { service: (p) => p.service },
  StartServicePayload: { service: ({ name }, _a, { services }) => services.service(name) },
  StopServicePayload: { service: ({ name }, _a, { services }) => services.service(name) },
  UpdateServicePayload: { service: ({ name }, _a, { services }) => services.service(name) },

  ServiceStatus,
  ServiceOrderField,
};
