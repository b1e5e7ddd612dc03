import { badRequest, notFound, type EmuRequest, type Route } from './http.js';
import { bodyOf, contains, invalid, optEnum, optInt, optObject, optString, pageOf, parseJsonQuery } from './params.js';
import { DEMO_ACCOUNT, type Store, type StoredLabel, type StoredModel, type StoredVersion } from './store.js';

/**
 * AIWorkSpace 2021-02-04 model registry, as the service behaves: real paths and methods,
 * real field names, the documented validation rules, default version names, filters, paging
 * and sorting (upstream-contract section 1).
 */

const PRODUCT = 'AIWorkSpace';
const VERSION = '2021-02-04';

const ACCESSIBILITY = ['PRIVATE', 'PUBLIC'];
const FORMAT_TYPES = ['OfflineModel', 'SavedModel', 'Keras H5', 'Frozen Pb', 'Caffe Prototxt', 'TorchScript', 'XGBoost', 'PMML', 'AlinkModel', 'ONNX'];
const FRAMEWORK_TYPES = ['Pytorch', 'XGBoost', 'Keras', 'Caffe', 'Alink', 'Xflow', 'TensorFlow'];
const APPROVAL_STATUSES = ['Pending', 'Approved', 'Rejected'];
const SOURCE_TYPES = ['Custom', 'PAIFlow', 'TrainingService'];
const VERSION_NAME = /^\d+\.\d+\.\d+(_\w+)?$/;
const SOURCE_ID = /^region=[^,=]+,workspaceId=[^,=]+,kind=(PipelineRun|ServiceJob),id=[^,=]+$/;
const MAX_METRICS_BYTES = 8192;
const MAX_PAGE_SIZE = 100;

function modelName(v: string | undefined, required: boolean): string | undefined {
  if (v === undefined) {
    if (required) throw badRequest('MissingParameter.ModelName', 'The parameter ModelName is required.');
    return undefined;
  }
  const length = [...v].length;
  if (length < 1 || length > 127 || v.trim() === '') throw invalid('ModelName', 'length must be 1 to 127 characters');
  return v;
}

function checkLabelPart(kind: 'Key' | 'Value', v: unknown, param: string): string {
  if (typeof v !== 'string') throw invalid(param, `label ${kind} must be a string`);
  if (kind === 'Key' && v.length === 0) throw invalid(param, 'label Key must not be empty');
  if (Buffer.byteLength(v, 'utf8') > 128) throw invalid(param, `label ${kind} must be at most 128 bytes`);
  if (/[=,]/.test(v)) throw invalid(param, `label ${kind} must not contain "=" or ","`);
  return v;
}

function labels(v: unknown, param: string): StoredLabel[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(param, 'must be an array of {Key, Value}');
  return v.map((l: unknown) => {
    if (!l || typeof l !== 'object') throw invalid(param, 'must be an array of {Key, Value}');
    const { Key, Value } = l as Record<string, unknown>;
    return { Key: checkLabelPart('Key', Key, param), Value: checkLabelPart('Value', Value ?? '', param) };
  });
}

/** Adds labels; an existing key gets the new value. */
function mergeLabels(target: StoredLabel[], add: StoredLabel[]): StoredLabel[] {
  const out = [...target];
  for (const l of add) {
    const i = out.findIndex((x) => x.Key === l.Key);
    if (i >= 0) out[i] = l;
    else out.push(l);
  }
  return out;
}

function checkMetrics(m: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (m !== undefined && Buffer.byteLength(JSON.stringify(m), 'utf8') > MAX_METRICS_BYTES) {
    throw invalid('Metrics', `serialized size must not exceed ${MAX_METRICS_BYTES} bytes`);
  }
  return m;
}

function checkSource(sourceType: string, sourceId: string | undefined) {
  if (sourceId !== undefined && sourceType !== 'Custom' && !SOURCE_ID.test(sourceId)) {
    throw invalid('SourceId', 'must be region=<region_id>,workspaceId=<workspace_id>,kind=<PipelineRun|ServiceJob>,id=<id> for this SourceType');
  }
}

function sortBySeq<T extends { seq: number }>(req: EmuRequest, items: T[], created: (t: T) => string): T[] {
  const { SortBy = 'GmtCreateTime', Order = 'ASC' } = req.query;
  if (SortBy !== 'GmtCreateTime') throw invalid('SortBy', 'only GmtCreateTime is supported');
  const order = Order.toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw invalid('Order', 'must be ASC or DESC');
  const dir = order === 'ASC' ? 1 : -1;
  return [...items].sort((a, b) => dir * (created(a).localeCompare(created(b)) || a.seq - b.seq));
}

const labelMatches = (ls: StoredLabel[], needle: string) => ls.some((l) => contains(l.Key, needle) || contains(l.Value, needle));

const NUMERIC_COLUMNS: Record<string, (m: StoredModel) => number | undefined> = {
  ParameterSize: (m) => m.ParameterSize,
  OrderNumber: (m) => m.OrderNumber,
};
const OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  LessThan: (a, b) => a < b,
  LessThanOrEqual: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanOrEqual: (a, b) => a >= b,
  Equal: (a, b) => a === b,
  NotEqual: (a, b) => a !== b,
};

function conditionFilter(req: EmuRequest): ((m: StoredModel) => boolean) | undefined {
  const conditions = parseJsonQuery<{ Column?: unknown; Operator?: unknown; Value?: unknown }>(req, 'Conditions');
  if (!conditions) return undefined;
  const tests = conditions.map((c) => {
    const column = NUMERIC_COLUMNS[String(c.Column)];
    const op = OPERATORS[String(c.Operator)];
    const value = Number(c.Value);
    if (!column) throw invalid('Conditions', `Column must be one of ${Object.keys(NUMERIC_COLUMNS).join(', ')}`);
    if (!op) throw invalid('Conditions', `Operator must be one of ${Object.keys(OPERATORS).join(', ')}`);
    if (Number.isNaN(value)) throw invalid('Conditions', 'Value must be a number for this Column');
    return (m: StoredModel) => {
      const v = column(m);
      return v !== undefined && op(v, value);
    };
  });
  return (m) => tests.every((t) => t(m));
}

export function latestVersion(m: StoredModel): StoredVersion | undefined {
  let latest: StoredVersion | undefined;
  for (const v of m.versions.values()) if (!latest || v.seq > latest.seq) latest = v;
  return latest;
}

export function versionView(v: StoredVersion) {
  const { seq: _seq, ...rest } = v;
  return rest;
}

export function modelView(m: StoredModel) {
  const { seq: _seq, versions: _versions, collections: _collections, Labels, ...rest } = m;
  const latest = latestVersion(m);
  return {
    ...rest,
    Labels,
    // PAI returns labels under both names; `Tags` is the newer one.
    Tags: Labels,
    ...(latest ? { LatestVersion: versionView(latest), GmtLatestVersionModifiedTime: latest.GmtModifiedTime } : {}),
  };
}

/** The next default version name: 0.1.0 first, then the highest major.minor with minor + 1. */
export function nextVersionName(m: StoredModel): string {
  let best: [number, number] | undefined;
  for (const name of m.versions.keys()) {
    const [major, minor] = name.split('.').map((s) => Number.parseInt(s, 10)) as [number, number];
    if (!best || major > best[0] || (major === best[0] && minor > best[1])) best = [major, minor];
  }
  return best ? `${best[0]}.${best[1] + 1}.0` : '0.1.0';
}

export function aiWorkSpaceRoutes(store: Store): Route[] {
  const route = (action: string, method: Route['method'], path: string, handler: Route['handler']): Route => ({ product: PRODUCT, version: VERSION, action, method, path, handler });

  const getModel = (req: EmuRequest): StoredModel => {
    const m = store.models.get(req.params.ModelId ?? '');
    if (!m) throw notFound('InvalidModel.NotFound', `The model ${req.params.ModelId} does not exist.`);
    return m;
  };
  const getVersion = (req: EmuRequest): [StoredModel, StoredVersion] => {
    const m = getModel(req);
    const v = m.versions.get(req.params.VersionName ?? '');
    if (!v) throw notFound('InvalidModelVersion.NotFound', `The version ${req.params.VersionName} of model ${m.ModelId} does not exist.`);
    return [m, v];
  };
  const touch = (m: StoredModel) => {
    m.GmtModifiedTime = store.now();
  };
  const ack = (req: EmuRequest) => ({ body: { RequestId: req.requestId } });

  return [
    route('CreateModel', 'POST', '/api/v1/models', (req) => {
      const b = bodyOf(req);
      const now = store.now();
      const tags = labels(b.Tag, 'Tag') ?? [];
      const legacy = labels(b.Labels, 'Labels') ?? [];
      const model: StoredModel = {
        seq: store.nextSeq(),
        ModelId: store.newId('model'),
        ModelName: modelName(optString(b, 'ModelName'), true)!,
        ModelDescription: optString(b, 'ModelDescription'),
        ModelDoc: optString(b, 'ModelDoc'),
        ModelType: optString(b, 'ModelType'),
        Domain: optString(b, 'Domain'),
        Task: optString(b, 'Task'),
        Origin: optString(b, 'Origin'),
        Accessibility: optEnum(b, 'Accessibility', ACCESSIBILITY) ?? 'PRIVATE',
        WorkspaceId: optString(b, 'WorkspaceId') ?? DEMO_ACCOUNT.WorkspaceId,
        OwnerId: DEMO_ACCOUNT.OwnerId,
        UserId: DEMO_ACCOUNT.UserId,
        OrderNumber: optInt(b, 'OrderNumber'),
        ParameterSize: optInt(b, 'ParameterSize'),
        ExtraInfo: optObject(b, 'ExtraInfo'),
        GmtCreateTime: now,
        GmtModifiedTime: now,
        Labels: mergeLabels(legacy, tags),
        collections: [],
        versions: new Map(),
      };
      store.models.set(model.ModelId, model);
      return { body: { ModelId: model.ModelId, RequestId: req.requestId } };
    }),

    route('GetModel', 'GET', '/api/v1/models/{ModelId}', (req) => ({ body: { ...modelView(getModel(req)), RequestId: req.requestId } })),

    route('ListModels', 'GET', '/api/v1/models', (req) => {
      const q = req.query;
      const tags = parseJsonQuery<{ Key?: unknown; Value?: unknown }>(req, 'Tag');
      const conditions = conditionFilter(req);
      const collections = q.Collections ? q.Collections.split(',').filter(Boolean) : undefined;
      const eq = (a: string | undefined, b: string | undefined) => b === undefined || b === '' || (a ?? '').toLowerCase() === b.toLowerCase();
      const matches = [...store.models.values()].filter(
        (m) =>
          (q.Provider ? m.Provider === q.Provider : !m.Provider) &&
          eq(m.WorkspaceId, q.WorkspaceId) &&
          (!q.ModelName || contains(m.ModelName, q.ModelName)) &&
          eq(m.Domain, q.Domain) &&
          eq(m.Task, q.Task) &&
          eq(m.ModelType, q.ModelType) &&
          eq(m.Origin, q.Origin) &&
          (!q.Label || labelMatches(m.Labels, q.Label)) &&
          (!q.Query || contains(m.ModelName, q.Query) || contains(m.Domain, q.Query) || contains(m.Task, q.Query) || labelMatches(m.Labels, q.Query)) &&
          (!collections || collections.some((c) => m.collections.includes(c))) &&
          (!tags || tags.every((t) => m.Labels.some((l) => l.Key === t.Key && (t.Value === undefined || l.Value === t.Value)))) &&
          (!conditions || conditions(m)),
      );
      const sorted = sortBySeq(req, matches, (m) => m.GmtCreateTime);
      return { body: { Models: pageOf(req, sorted, MAX_PAGE_SIZE).map(modelView), TotalCount: sorted.length, RequestId: req.requestId } };
    }),

    route('UpdateModel', 'PUT', '/api/v1/models/{ModelId}', (req) => {
      const m = getModel(req);
      const b = bodyOf(req);
      const name = modelName(optString(b, 'ModelName'), false);
      const update: Partial<StoredModel> = {
        ModelName: name,
        ModelDescription: optString(b, 'ModelDescription'),
        ModelDoc: optString(b, 'ModelDoc'),
        ModelType: optString(b, 'ModelType'),
        Domain: optString(b, 'Domain'),
        Task: optString(b, 'Task'),
        Origin: optString(b, 'Origin'),
        Accessibility: optEnum(b, 'Accessibility', ACCESSIBILITY),
        OrderNumber: optInt(b, 'OrderNumber'),
        ParameterSize: optInt(b, 'ParameterSize'),
        ExtraInfo: optObject(b, 'ExtraInfo'),
      };
      for (const [k, v] of Object.entries(update)) if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
      touch(m);
      return ack(req);
    }),

    route('DeleteModel', 'DELETE', '/api/v1/models/{ModelId}', (req) => {
      store.models.delete(getModel(req).ModelId);
      return ack(req);
    }),

    route('CreateModelVersion', 'POST', '/api/v1/models/{ModelId}/versions', (req) => {
      const m = getModel(req);
      const b = bodyOf(req);
      const uri = optString(b, 'Uri');
      if (!uri) throw badRequest('MissingParameter.Uri', 'The parameter Uri is required.');
      const name = optString(b, 'VersionName') ?? nextVersionName(m);
      if (!VERSION_NAME.test(name)) throw invalid('VersionName', 'must match ^\\d+\\.\\d+\\.\\d+(_\\w+)?$');
      if (m.versions.has(name)) throw badRequest('ModelVersion.AlreadyExists', `The version ${name} of model ${m.ModelId} already exists.`);
      const sourceType = optEnum(b, 'SourceType', SOURCE_TYPES) ?? 'Custom';
      const sourceId = optString(b, 'SourceId');
      checkSource(sourceType, sourceId);
      const now = store.now();
      const version: StoredVersion = {
        seq: store.nextSeq(),
        VersionName: name,
        VersionDescription: optString(b, 'VersionDescription'),
        Uri: uri,
        ApprovalStatus: optEnum(b, 'ApprovalStatus', APPROVAL_STATUSES),
        FormatType: optEnum(b, 'FormatType', FORMAT_TYPES),
        FrameworkType: optEnum(b, 'FrameworkType', FRAMEWORK_TYPES),
        SourceType: sourceType,
        SourceId: sourceId,
        InferenceSpec: optObject(b, 'InferenceSpec') ?? {},
        TrainingSpec: optObject(b, 'TrainingSpec') ?? {},
        EvaluationSpec: optObject(b, 'EvaluationSpec') ?? {},
        CompressionSpec: optObject(b, 'CompressionSpec') ?? {},
        DistillationSpec: optObject(b, 'DistillationSpec') ?? {},
        Metrics: checkMetrics(optObject(b, 'Metrics')),
        ExtraInfo: optObject(b, 'ExtraInfo'),
        Options: optString(b, 'Options') ?? '{}',
        Labels: labels(b.Labels, 'Labels') ?? [],
        OwnerId: DEMO_ACCOUNT.OwnerId,
        UserId: DEMO_ACCOUNT.UserId,
        GmtCreateTime: now,
        GmtModifiedTime: now,
      };
      m.versions.set(name, version);
      touch(m);
      return { body: { VersionName: name, RequestId: req.requestId } };
    }),

    route('GetModelVersion', 'GET', '/api/v1/models/{ModelId}/versions/{VersionName}', (req) => ({ body: { ...versionView(getVersion(req)[1]), RequestId: req.requestId } })),

    route('ListModelVersions', 'GET', '/api/v1/models/{ModelId}/versions', (req) => {
      const m = getModel(req);
      const q = req.query;
      const eq = (a: string | undefined, b: string | undefined) => b === undefined || b === '' || a === b;
      const matches = [...m.versions.values()].filter(
        (v) =>
          eq(v.VersionName, q.VersionName) &&
          eq(v.FormatType, q.FormatType) &&
          eq(v.FrameworkType, q.FrameworkType) &&
          eq(v.ApprovalStatus, q.ApprovalStatus) &&
          eq(v.SourceType, q.SourceType) &&
          eq(v.SourceId, q.SourceId) &&
          (!q.Label || labelMatches(v.Labels, q.Label)),
      );
      const sorted = sortBySeq(req, matches, (v) => v.GmtCreateTime);
      return { body: { Versions: pageOf(req, sorted, MAX_PAGE_SIZE).map(versionView), TotalCount: sorted.length, RequestId: req.requestId } };
    }),

    route('UpdateModelVersion', 'PUT', '/api/v1/models/{ModelId}/versions/{VersionName}', (req) => {
      const [m, v] = getVersion(req);
      const b = bodyOf(req);
      const sourceType = optEnum(b, 'SourceType', SOURCE_TYPES);
      const sourceId = optString(b, 'SourceId');
      checkSource(sourceType ?? v.SourceType, sourceId ?? (sourceType ? v.SourceId : undefined));
      const update: Partial<StoredVersion> = {
        VersionDescription: optString(b, 'VersionDescription'),
        ApprovalStatus: optEnum(b, 'ApprovalStatus', APPROVAL_STATUSES),
        SourceType: sourceType,
        SourceId: sourceId,
        InferenceSpec: optObject(b, 'InferenceSpec'),
        TrainingSpec: optObject(b, 'TrainingSpec'),
        EvaluationSpec: optObject(b, 'EvaluationSpec'),
        CompressionSpec: optObject(b, 'CompressionSpec'),
        DistillationSpec: optObject(b, 'DistillationSpec'),
        Metrics: checkMetrics(optObject(b, 'Metrics')),
        ExtraInfo: optObject(b, 'ExtraInfo'),
        Options: optString(b, 'Options'),
      };
      for (const [k, val] of Object.entries(update)) if (val !== undefined) (v as unknown as Record<string, unknown>)[k] = val;
      v.GmtModifiedTime = store.now();
      touch(m);
      return ack(req);
    }),

    route('DeleteModelVersion', 'DELETE', '/api/v1/models/{ModelId}/versions/{VersionName}', (req) => {
      const [m, v] = getVersion(req);
      m.versions.delete(v.VersionName);
      touch(m);
      return ack(req);
    }),

    route('CreateModelLabels', 'POST', '/api/v1/models/{ModelId}/labels', (req) => {
      const m = getModel(req);
      m.Labels = mergeLabels(m.Labels, labels(bodyOf(req).Labels, 'Labels') ?? []);
      touch(m);
      return ack(req);
    }),

    route('DeleteModelLabels', 'DELETE', '/api/v1/models/{ModelId}/labels', (req) => {
      const m = getModel(req);
      const keys = labelKeys(req);
      m.Labels = m.Labels.filter((l) => !keys.includes(l.Key));
      touch(m);
      return ack(req);
    }),

    route('CreateModelVersionLabels', 'POST', '/api/v1/models/{ModelId}/versions/{VersionName}/labels', (req) => {
      const [m, v] = getVersion(req);
      v.Labels = mergeLabels(v.Labels, labels(bodyOf(req).Labels, 'Labels') ?? []);
      v.GmtModifiedTime = store.now();
      touch(m);
      return ack(req);
    }),

    route('DeleteModelVersionLabels', 'DELETE', '/api/v1/models/{ModelId}/versions/{VersionName}/labels', (req) => {
      const [m, v] = getVersion(req);
      const keys = labelKeys(req);
      v.Labels = v.Labels.filter((l) => !keys.includes(l.Key));
      v.GmtModifiedTime = store.now();
      touch(m);
      return ack(req);
    }),
  ];
}

function labelKeys(req: EmuRequest): string[] {
  const raw = req.query.LabelKeys;
  if (!raw) throw badRequest('MissingParameter.LabelKeys', 'The parameter LabelKeys is required.');
  return raw.split(',').filter(Boolean);
}
