import { randomBytes } from 'node:crypto';
import { badRequest, notFound, ServiceError, type EmuRequest, type Route } from './http.js';
import { bodyOf, invalid, pageOf } from './params.js';
import { DEMO_ACCOUNT, formatTime, type Store, type StoredService } from './store.js';

/**
 * EAS 2021-07-01 inference services (upstream-contract section 12): CreateService and
 * UpdateService take the service config as a raw JSON body, labels travel as one JSON query
 * parameter (`Labels` on create, `Label` on list), paths name the region as `ClusterId`,
 * errors carry `HttpCode` and `Success` and a bad config is a 409 `InvalidParameter`. Writes
 * are asynchronous: statuses follow the clock (Creating -> Waiting -> Running, Stopping ->
 * Stopped, Starting -> Running, Updating -> Running, Deleting -> gone). Every service has an
 * access token, returned by DescribeService and ListServices as EAS does.
 */

const PRODUCT = 'eas';
const VERSION = '2021-07-01';
/** The region the emulator's EAS serves: the `ClusterId` every path must name. */
export const EAS_REGION = 'cn-hangzhou';
/** How long each transitional status lasts. */
export const EAS_STEP_MS = 2000;
const MAX_PAGE_SIZE = 100;
const NAME = /^[a-z][a-z0-9_]{2,62}$/;
/** GPUs per instance the public pool can place; more fails the deployment after scheduling. */
export const MAX_POOL_GPU = 8;
const STATUSES = ['Creating', 'Waiting', 'Running', 'Starting', 'Stopping', 'Stopped', 'Updating', 'Deleting', 'Failed'];

/** A bad config, as EAS answers it: 409 with code InvalidParameter (upstream-contract 12.7). */
const badConfig = (message: string) => new ServiceError(409, 'InvalidParameter', message);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Objects merged key by key; anything else replaced (UpdateType=merge). */
function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

const metadataOf = (config: Record<string, unknown>) => (isObject(config.metadata) ? config.metadata : {});
const intOf = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** Checks what EAS checks of a config; returns the service name it names. */
function checkConfig(config: Record<string, unknown>): string {
  const meta = metadataOf(config);
  const name = typeof config.name === 'string' ? config.name : typeof meta.name === 'string' ? meta.name : undefined;
  if (!name) throw badConfig('Service name is empty');
  if (!NAME.test(name)) throw badConfig(`Service name [${name}] is invalid: it must start with a lower-case letter and hold 3 to 63 lower-case letters, digits and underscores`);
  if (config.metadata !== undefined && !isObject(config.metadata)) throw badConfig('metadata must be an object');
  for (const key of ['instance', 'cpu', 'memory', 'gpu']) {
    const v = meta[key];
    if (v !== undefined && (intOf(v) === undefined || (v as number) < 0)) throw badConfig(`metadata.${key} must be a non-negative integer`);
  }
  if (intOf(meta.instance) !== undefined && (meta.instance as number) > 1000) throw badConfig('metadata.instance must be at most 1000');
  if (config.processor === undefined && config.processor_path === undefined && !Array.isArray(config.containers)) throw badConfig('One of processor, processor_path or containers is required');
  if (config.model_path !== undefined && (typeof config.model_path !== 'string' || !/^(oss|https?):\/\/\S+$/.test(config.model_path))) throw badConfig('model_path must be an oss:// or http(s):// path');
  return name;
}

function readLabels(req: EmuRequest, param: string): Record<string, string> | undefined {
  const raw = req.query[param];
  if (raw === undefined || raw === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw invalid(param, 'must be a JSON object of strings');
  }
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) throw invalid(param, 'must be a JSON object of strings');
  return v as Record<string, string>;
}

/** Status, reason and message of a service now; undefined once a delete has finished. */
export function serviceState(s: StoredService, now: number): { status: string; reason: string; message: string } | undefined {
  const { kind, at } = s.step;
  const early = now < at + EAS_STEP_MS;
  if (kind === 'delete') return early ? { status: 'Deleting', reason: 'DELETING', message: 'Service is being deleted' } : undefined;
  if (kind === 'stop') return early ? { status: 'Stopping', reason: 'STOPPING', message: 'Service is stopping' } : { status: 'Stopped', reason: 'STOPPED', message: 'Service stopped' };
  if (s.failure && now >= s.failure.at) return { status: 'Failed', reason: s.failure.reason, message: s.failure.message };
  if (kind === 'create' && early) return { status: 'Creating', reason: 'CREATING', message: 'Service is being created' };
  if (kind === 'create' && now < at + 2 * EAS_STEP_MS) return { status: 'Waiting', reason: 'WAITING', message: 'Waiting for instances to be scheduled' };
  if (kind === 'start' && early) return { status: 'Starting', reason: 'STARTING', message: 'Service is starting' };
  if (kind === 'update' && early) return { status: 'Updating', reason: 'UPDATING', message: 'Service is being updated' };
  return { status: 'Running', reason: 'RUNNING', message: 'Service start successfully' };
}

/** The Service object as EAS returns it; list items lack the endpoints and RoleAttrs. */
export function serviceView(s: StoredService, now: number, detail: boolean) {
  const state = serviceState(s, now) ?? { status: 'Deleting', reason: 'DELETING', message: 'Service is being deleted' };
  const meta = metadataOf(s.config);
  const instance = intOf(meta.instance) ?? 1;
  const starting = ['Creating', 'Waiting', 'Starting'].includes(state.status);
  const running = state.status === 'Running' || state.status === 'Updating';
  const containers = Array.isArray(s.config.containers) ? (s.config.containers as unknown[]) : [];
  const image = isObject(containers[0]) && typeof containers[0].image === 'string' ? containers[0].image : '';
  const internet = `http://${DEMO_ACCOUNT.OwnerId}.${s.Region}.pai-eas.aliyuncs.com/api/predict/${s.ServiceName}`;
  const intranet = `http://${DEMO_ACCOUNT.OwnerId}.vpc.${s.Region}.pai-eas.aliyuncs.com/api/predict/${s.ServiceName}`;
  const cloud = isObject(s.config.cloud) && isObject(s.config.cloud.computing) ? s.config.cloud.computing : {};
  return {
    ServiceName: s.ServiceName,
    ServiceId: s.ServiceId,
    ServiceUid: s.ServiceId,
    Status: state.status,
    Reason: state.reason,
    Message: state.message,
    Region: s.Region,
    AccessToken: s.AccessToken,
    Image: image,
    ServiceConfig: JSON.stringify(s.config),
    ExtraData: '{}',
    CallerUid: s.CallerUid,
    ParentUid: s.ParentUid,
    CreateTime: formatTime(new Date(s.createdAt)),
    UpdateTime: formatTime(new Date(s.updatedAt)),
    Cpu: intOf(meta.cpu) ?? 0,
    Memory: intOf(meta.memory) ?? 0,
    Gpu: intOf(meta.gpu) ?? 0,
    TotalInstance: instance,
    RunningInstance: running ? instance : 0,
    PendingInstance: starting ? instance : 0,
    CurrentVersion: s.CurrentVersion,
    LatestVersion: s.LatestVersion,
    Weight: 100,
    Labels: s.Labels,
    Namespace: s.ServiceName,
    Resource: typeof meta.resource === 'string' ? meta.resource : '',
    ResourceAlias: '',
    QuotaId: '',
    Gateway: '',
    Role: '',
    ServiceGroup: '',
    SafetyLock: 'none',
    Source: s.Source ?? '',
    TrafficState: 'standalone',
    WorkspaceId: s.WorkspaceId ?? '',
    AppType: '',
    AppVersion: '',
    AppSpecName: '',
    AppConfig: '',
    AutoscalerEnabled: false,
    CronscalerEnabled: false,
    ResourceBurstable: false,
    WorkloadType: typeof cloud.instance_type === 'string' ? 'PublicResource' : 'Resource',
    ...(detail
      ? { InternetEndpoint: internet, IntranetEndpoint: intranet, SecondaryInternetEndpoint: '', SecondaryIntranetEndpoint: '', RoleAttrs: '{}' }
      : {}),
  };
}

/** A service in the region under that name; each call also forgets services whose delete has finished. */
function sweep(store: Store, now: number) {
  for (const [key, s] of store.services) if (!serviceState(s, now)) store.services.delete(key);
}

/** The labels of a new service, in EAS's shape. */
const labelList = (labels: Record<string, string> | undefined) => Object.entries(labels ?? {}).map(([LabelKey, LabelValue]) => ({ LabelKey, LabelValue }));

/** A deployment that asks for more GPUs per instance than the pool has fails once scheduling is tried. */
function failureFor(config: Record<string, unknown>, at: number): StoredService['failure'] {
  const gpu = intOf(metadataOf(config).gpu) ?? 0;
  return gpu > MAX_POOL_GPU ? { at: at + 2 * EAS_STEP_MS, reason: 'RESOURCE_NOT_ENOUGH', message: `No node in the public pool has ${gpu} GPUs for one instance` } : undefined;
}

/** A new service, created at `at`. */
export function newService(store: Store, config: Record<string, unknown>, opts: { name: string; labels?: Record<string, string> | undefined; workspaceId?: string | undefined; source?: string; at: number }): StoredService {
  const failure = failureFor(config, opts.at);
  return {
    seq: store.nextSeq(),
    ServiceName: opts.name,
    ServiceId: `eas-m-${randomBytes(6).toString('hex')}`,
    Region: EAS_REGION,
    config,
    Labels: labelList(opts.labels),
    AccessToken: typeof config.token === 'string' && config.token ? config.token : `${randomBytes(24).toString('base64url')}==`,
    ...(opts.workspaceId ? { WorkspaceId: opts.workspaceId } : {}),
    ...(opts.source ? { Source: opts.source } : {}),
    CallerUid: DEMO_ACCOUNT.UserId,
    ParentUid: DEMO_ACCOUNT.OwnerId,
    createdAt: opts.at,
    updatedAt: opts.at,
    step: { kind: 'create', at: opts.at },
    ...(failure ? { failure } : {}),
    LatestVersion: 1,
    CurrentVersion: 1,
  };
}

export function easRoutes(store: Store): Route[] {
  const route = (action: string, method: Route['method'], path: string, handler: Route['handler']): Route => ({ product: PRODUCT, version: VERSION, action, method, path, handler });
  const now = () => store.clock.now().getTime();
  const SERVICES = '/api/v2/services';
  const SERVICE = `${SERVICES}/{ClusterId}/{ServiceName}`;

  const find = (req: EmuRequest): StoredService => {
    sweep(store, now());
    const { ClusterId = '', ServiceName = '' } = req.params;
    const s = store.services.get(`${ClusterId}/${ServiceName}`);
    if (!s) throw notFound('InvalidService.NotFound', `Service [${ServiceName}] in region [${ClusterId}] does not exist`);
    return s;
  };
  const status = (s: StoredService) => serviceState(s, now())?.status ?? 'Deleting';
  const refuse = (s: StoredService, what: string) => badConfig(`Service [${s.ServiceName}] is ${status(s)} and cannot be ${what}`);
  const message = (req: EmuRequest, text: string) => ({ body: { Message: text, RequestId: req.requestId } });
  /** The raw JSON body of CreateService and UpdateService: a config object. */
  const configOf = (req: EmuRequest) => {
    if (req.rawBody === '') throw badConfig('The service config (request body) is empty');
    const body = bodyOf(req);
    if (!isObject(body)) throw badConfig('The service config must be a JSON object');
    return body;
  };

  return [
    route('CreateService', 'POST', SERVICES, (req) => {
      const config = configOf(req);
      const name = checkConfig(config);
      const labels = readLabels(req, 'Labels');
      if (req.query.Develop !== undefined && !['true', 'false'].includes(req.query.Develop)) throw invalid('Develop', 'must be true or false');
      sweep(store, now());
      if (store.services.has(`${EAS_REGION}/${name}`)) throw badConfig(`Service [${name}] already exists in region [${EAS_REGION}]`);
      const s = newService(store, config, { name, labels, workspaceId: req.query.WorkspaceId, at: now() });
      store.services.set(`${s.Region}/${s.ServiceName}`, s);
      const view = serviceView(s, now(), true);
      return {
        body: { RequestId: req.requestId, ServiceId: s.ServiceId, ServiceName: s.ServiceName, Status: view.Status, Region: s.Region, InternetEndpoint: view.InternetEndpoint, IntranetEndpoint: view.IntranetEndpoint },
      };
    }),

    route('DescribeService', 'GET', SERVICE, (req) => ({ body: { ...serviceView(find(req), now(), true), RequestId: req.requestId } })),

    route('ListServices', 'GET', SERVICES, (req) => {
      const q = req.query;
      const at = now();
      sweep(store, at);
      const label = readLabels(req, 'Label');
      if (q.ServiceStatus !== undefined && !STATUSES.includes(q.ServiceStatus) && !['Complete', 'Cloning', 'Committing', 'Developing', 'Deleted', 'Pending', 'HotUpdate', 'DeleteFailed', 'Deploying', 'Scaling'].includes(q.ServiceStatus)) {
        throw invalid('ServiceStatus', 'must be a service status such as Running');
      }
      const order = q.Order ?? 'desc';
      if (order !== 'asc' && order !== 'desc') throw invalid('Order', 'must be asc or desc (lower case)');
      const sort = q.Sort ?? 'CreateTime';
      if (!['CreateTime', 'UpdateTime'].includes(sort)) throw invalid('Sort', 'must be CreateTime or UpdateTime');
      const matches = [...store.services.values()].filter((s) => {
        const labels = new Map(s.Labels.map((l) => [l.LabelKey, l.LabelValue]));
        return (
          (!q.Filter || s.ServiceName.includes(q.Filter)) &&
          (!q.ServiceName || s.ServiceName === q.ServiceName) &&
          (!q.ServiceUid || s.ServiceId === q.ServiceUid) &&
          (!q.ServiceStatus || status(s) === q.ServiceStatus) &&
          (!q.WorkspaceId || s.WorkspaceId === q.WorkspaceId) &&
          (!q.ResourceName || metadataOf(s.config).resource === q.ResourceName) &&
          Object.entries(label ?? {}).every(([k, v]) => labels.get(k) === v)
        );
      });
      const dir = order === 'asc' ? 1 : -1;
      matches.sort((a, b) => dir * ((sort === 'UpdateTime' ? a.updatedAt - b.updatedAt : a.createdAt - b.createdAt) || a.seq - b.seq));
      const paged = pageOf({ ...req, query: { PageNumber: q.PageNumber ?? '1', PageSize: q.PageSize ?? '100' } }, matches, MAX_PAGE_SIZE);
      return {
        body: { Services: paged.map((s) => serviceView(s, at, false)), TotalCount: matches.length, PageNumber: Number(q.PageNumber ?? 1), PageSize: Number(q.PageSize ?? 100), RequestId: req.requestId },
      };
    }),

    route('UpdateService', 'PUT', SERVICE, (req) => {
      const s = find(req);
      const patch = configOf(req);
      const type = req.query.UpdateType ?? 'merge';
      if (type !== 'merge' && type !== 'replace') throw invalid('UpdateType', 'must be merge or replace');
      const next = type === 'replace' ? patch : deepMerge(s.config, patch);
      const named = next.name ?? metadataOf(next).name;
      if (named !== undefined && named !== s.ServiceName) throw badConfig('The service name cannot be changed');
      checkConfig({ name: s.ServiceName, ...next });
      if (status(s) === 'Deleting') throw refuse(s, 'updated');
      const stopped = ['Stopped', 'Stopping'].includes(status(s));
      s.config = { ...next, name: s.ServiceName };
      s.LatestVersion += 1;
      s.CurrentVersion = s.LatestVersion;
      s.updatedAt = now();
      if (!stopped) {
        s.step = { kind: 'update', at: now() };
        s.failure = failureFor(s.config, now());
      }
      return message(req, `Succeed to update service [${s.ServiceName}] in region [${s.Region}]`);
    }),

    route('StartService', 'PUT', `${SERVICE}/start`, (req) => {
      const s = find(req);
      if (!['Stopped', 'Failed'].includes(status(s))) throw refuse(s, 'started');
      s.step = { kind: 'start', at: now() };
      s.failure = failureFor(s.config, now());
      s.updatedAt = now();
      return message(req, `Service [${s.ServiceName}] in region [${s.Region}] is starting`);
    }),

    route('StopService', 'PUT', `${SERVICE}/stop`, (req) => {
      const s = find(req);
      if (['Stopped', 'Stopping', 'Deleting'].includes(status(s))) throw refuse(s, 'stopped');
      s.step = { kind: 'stop', at: now() };
      s.updatedAt = now();
      return message(req, `Service [${s.ServiceName}] in region [${s.Region}] is stopping`);
    }),

    route('DeleteService', 'DELETE', SERVICE, (req) => {
      const s = find(req);
      if (status(s) === 'Deleting') throw refuse(s, 'deleted');
      if (req.rawBody !== '') throw badRequest('InvalidParameter', 'DeleteService takes no body.');
      s.step = { kind: 'delete', at: now() };
      s.updatedAt = now();
      return message(req, `Service [${s.ServiceName}] in region [${s.Region}] is terminating`);
    }),
  ];
}
