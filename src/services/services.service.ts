import type { ArgumentChecks } from '../core/plugins/argument-checks.js';
import { BadUserInputError, describeReceived } from '../core/errors.js';
import { readWindow, toConnection, type ListArgs } from '../core/pagination.js';
import { compact, parseInput } from '../core/validation.js';
import { modelId as modelIdRule, versionName as versionNameRule, type ModelsService } from '../models/index.js';
import type { ServicesApi } from './services.api.js';
import { secretsIn, withoutSecrets, type CreateServiceResponse, type ServiceRecord } from './services.dto.js';
import {
  DeployModelVersionInput,
  MODEL_LABEL,
  SECRET_FIELDS,
  ServiceFilterInput,
  ServiceOrderInput,
  ServiceRefInput,
  UpdateServiceInput,
  VERSION_LABEL,
  serviceName,
  serviceUid,
} from './services.inputs.js';
import type { ServiceLoaders } from './services.loaders.js';

/** What a start, stop or update payload holds until its `service` field is asked for. */
export type ServiceRef = { name: string };
/** What deployModelVersion answers: the service as EAS accepted it, with no further call. */
export type DeployedService = { service: ServiceRecord };

/** The one thing the service domain asks of the model domain: a version by model id and name. */
type VersionLookup = Pick<ModelsService, 'version'>;

/** Fields only DescribeService returns; a listed service reads them with one deduplicated call. */
export type DetailField = 'InternetEndpoint' | 'IntranetEndpoint' | 'SecondaryInternetEndpoint' | 'SecondaryIntranetEndpoint' | 'RoleAttrs';

/** Checks of nested fields' arguments, run before execution (see core/plugins/argument-checks.ts). */
export const serviceArgumentChecks: ArgumentChecks = {
  'ModelVersion.services': (args) => readWindow(args),
};

const secretFields = SECRET_FIELDS as readonly string[];
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const labelOf = (s: ServiceRecord, key: string) => s.Labels.find((l) => l.LabelKey === key)?.LabelValue ?? undefined;

/** The `metadata` keys the resource fields set. */
const metadataOf = (v: { instanceCount?: number | undefined; cpu?: number | undefined; memory?: number | undefined; gpu?: number | undefined; resource?: string | undefined }) =>
  compact({ instance: v.instanceCount, cpu: v.cpu, memory: v.memory, gpu: v.gpu, resource: v.resource });

/** `cloud.computing.instance_type` set on top of what the config has. */
const withInstanceType = (cloud: unknown, instanceType: string) => {
  const base = isObject(cloud) ? cloud : {};
  return { ...base, computing: { ...(isObject(base.computing) ? base.computing : {}), instance_type: instanceType } };
};

/** Where an image-based service (one with `containers`) finds the model files it mounts. */
export const MODEL_MOUNT_PATH = '/mnt/model/';

/**
 * The service config EAS gets for a model version: its InferenceSpec as it is, then the name,
 * the version's files (`model_path`; for an image-based spec with `containers`, an OSS mount of
 * the Uri at MODEL_MOUNT_PATH) and the overrides the caller chose, on top.
 */
export function buildServiceConfig(spec: Record<string, unknown>, uri: string, d: DeployModelVersionInput): Record<string, unknown> {
  const { name: _specName, ...rest } = spec;
  const config: Record<string, unknown> = { name: d.serviceName, ...rest };
  const storage: unknown[] = Array.isArray(config.storage) ? (config.storage as unknown[]) : [];
  if (Array.isArray(config.containers) && uri.startsWith('oss://')) {
    if (!storage.some((m) => isObject(m) && isObject(m.oss) && m.oss.path === uri)) {
      config.storage = [...storage, { mount_path: MODEL_MOUNT_PATH, oss: { path: uri, readOnly: true }, properties: { resource_type: 'model' } }];
    }
  } else {
    config.model_path = uri;
  }
  const metadata = isObject(config.metadata) ? config.metadata : {};
  // EAS needs metadata.instance: the caller's, else the InferenceSpec's, else one.
  config.metadata = { instance: 1, ...metadata, ...('name' in metadata ? { name: d.serviceName } : {}), ...metadataOf(d) };
  if (d.processor) config.processor = d.processor;
  if (d.instanceType) config.cloud = withInstanceType(config.cloud, d.instanceType);
  return config;
}

/** The keys of the config an update changes, as EAS merges them (UpdateType merge). */
function updatePatch(u: UpdateServiceInput): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...(u.config ?? {}) };
  const metadata = metadataOf(u);
  if (Object.keys(metadata).length) patch.metadata = { ...(isObject(patch.metadata) ? patch.metadata : {}), ...metadata };
  if (u.processor) patch.processor = u.processor;
  if (u.instanceType) patch.cloud = withInstanceType(patch.cloud, u.instanceType);
  return patch;
}

/** The service as CreateService accepted it: its answer, and what was sent (credentials left out). */
function deployedRecord(res: CreateServiceResponse, config: Record<string, unknown>, d: DeployModelVersionInput): ServiceRecord {
  const metadata = config.metadata as Record<string, unknown>;
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  return {
    ServiceName: res.ServiceName,
    ServiceId: res.ServiceId,
    ServiceUid: res.ServiceId,
    Status: res.Status,
    Region: res.Region,
    InternetEndpoint: res.InternetEndpoint,
    IntranetEndpoint: res.IntranetEndpoint,
    ServiceConfig: withoutSecrets(config),
    ExtraData: null,
    AppConfig: null,
    RoleAttrs: null,
    Labels: Object.entries(d.labels).map(([LabelKey, LabelValue]) => ({ LabelKey, LabelValue })),
    Cpu: int(metadata.cpu),
    Memory: int(metadata.memory),
    Gpu: int(metadata.gpu),
    TotalInstance: int(metadata.instance),
    Resource: d.resource ?? null,
    WorkspaceId: d.workspaceId ?? null,
    HasAccessToken: null,
  };
}

/**
 * What resolvers of the service domain call: reads go through the loaders; writes validate
 * their input, make one upstream call (a deploy also reads the version, through the model
 * domain's loader) and drop what this request had read.
 */
/**
 * `Service.id`, the service's global id: EAS's `ServiceId` (equal to `ServiceUid`). EAS gives
 * every service one; a service without either cannot be refetched, so it is an upstream
 * contract breach, reported (masked) rather than answered with an id `node` could not read.
 */
export function serviceIdOf(s: ServiceRecord): string {
  const id = s.ServiceId || s.ServiceUid;
  if (!id) throw new Error(`EAS sent service ${s.ServiceName} without a ServiceId or ServiceUid`);
  return id;
}

export function createServicesService(api: ServicesApi, loaders: ServiceLoaders) {
  const ref = (name: string): ServiceRef => ({ name });

  return {
    // Async so a bad name rejects rather than throws (see models.service.ts).
    service: async (name: string): Promise<ServiceRecord | null> => loaders.byName.load(parseInput(serviceName, name, 'name')),

    /** A service by its id (`Service.id`, EAS `ServiceId`), as `node(id:)` reads it. */
    serviceById: async (id: string): Promise<ServiceRecord | null> => loaders.byUid.load(parseInput(serviceUid, id, 'id')),

    async list(args: ListArgs) {
      const window = readWindow(args);
      const query = { ...parseInput(ServiceFilterInput, args.filter, 'filter'), ...parseInput(ServiceOrderInput, args.orderBy, 'orderBy') };
      return toConnection(window, await loaders.list.load({ query, window }));
    },

    /** The services deployed from a version; the versions of one model share one ListServices. */
    async ofVersion(version: { ModelId: string; VersionName: string }, args: ListArgs) {
      const window = readWindow(args);
      return toConnection(window, await loaders.byVersion.load({ modelId: version.ModelId, versionName: version.VersionName, window }));
    },

    /** A DescribeService-only field: from the parent unless it is a list item, else one deduplicated DescribeService. */
    async detailField<K extends DetailField>(s: ServiceRecord, field: K): Promise<NonNullable<ServiceRecord[K]> | null> {
      const from = s.Listed ? ((await loaders.detail.load(s.ServiceName)) ?? s) : s;
      // EAS sends "" for an endpoint a service does not have.
      return (from[field] || null);
    },

    /** The model version a service was deployed from, by the labels pai-graph set; null for any other service. */
    async modelVersion(s: ServiceRecord, models: VersionLookup) {
      const id = labelOf(s, MODEL_LABEL);
      const name = labelOf(s, VERSION_LABEL);
      if (!modelIdRule.safeParse(id).success || !versionNameRule.safeParse(name).success) return null;
      return models.version(id!, name!);
    },

    /**
     * Validates everything first (0 calls on bad input), reads the version (at most one call,
     * none when this request already has it), refuses a version with nothing to deploy, then
     * sends one CreateService. EAS deploys asynchronously: the service starts `CREATING`.
     */
    async deployModelVersion(input: unknown, models: VersionLookup): Promise<DeployedService> {
      const d = parseInput(DeployModelVersionInput, input, 'input', secretFields);
      const version = await models.version(d.modelId, d.versionName);
      const named = describeReceived(d.versionName);
      if (!version) throw new BadUserInputError('input.versionName', `must name a version of model ${d.modelId}; it has none of that name`, named);
      const spec = version.InferenceSpec;
      if (!isObject(spec) || Object.keys(spec).length === 0) {
        throw new BadUserInputError('input.versionName', 'must name a version with an InferenceSpec (how EAS serves it, e.g. {"processor": "pytorch_gpu_1.10"}); set one with updateModelVersion', named);
      }
      if (!version.Uri) throw new BadUserInputError('input.versionName', 'must name a version with a Uri (where its model files are)', named);
      const config = buildServiceConfig(spec, version.Uri, d);
      const res = await api.create(JSON.stringify(config), { Labels: d.labels, WorkspaceId: d.workspaceId }, secretsIn(config));
      loaders.clearAll();
      return { service: deployedRecord(res, config, d) };
    },

    async startService(input: unknown): Promise<ServiceRef> {
      const { name } = parseInput(ServiceRefInput, input, 'input');
      await api.start(name);
      loaders.clearAll();
      return ref(name);
    },

    async stopService(input: unknown): Promise<ServiceRef> {
      const { name } = parseInput(ServiceRefInput, input, 'input');
      await api.stop(name);
      loaders.clearAll();
      return ref(name);
    },

    async updateService(input: unknown): Promise<ServiceRef> {
      const u = parseInput(UpdateServiceInput, input, 'input', secretFields);
      const patch = updatePatch(u);
      await api.update(u.name, JSON.stringify(patch), secretsIn(patch));
      loaders.clearAll();
      return ref(u.name);
    },

    async deleteService(input: unknown) {
      const { name } = parseInput(ServiceRefInput, input, 'input');
      await api.delete(name);
      loaders.clearAll();
      return { deletedName: name };
    },
  };
}

export type ServicesService = ReturnType<typeof createServicesService>;
