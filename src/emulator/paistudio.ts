import { badRequest, notFound, ServiceError, type EmuRequest, type Route } from './http.js';
import { bodyOf, contains, invalid, optString, pageOf, type Body } from './params.js';
import { DEMO_ACCOUNT, type Store, type StoredAlgorithm, type StoredAlgorithmVersion } from './store.js';

/**
 * PaiStudio 2022-01-12 algorithms and algorithm versions (upstream-contract section 2):
 * form-encoded writes with the spec as one JSON-string field, the lower-case `requestId` of
 * DeleteAlgorithm, and no RequestId on version writes.
 */

const PRODUCT = 'PaiStudio';
const VERSION = '2022-01-12';
const MAX_PAGE_SIZE = 100;
const ALGORITHM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** PaiStudio writes are form-encoded; anything else is refused so encoding regressions show. */
function formOf(req: EmuRequest): Body {
  if (req.rawBody === '') return {};
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type !== 'application/x-www-form-urlencoded') throw new ServiceError(415, 'UnsupportedMediaType', `${req.action} takes an application/x-www-form-urlencoded body, not ${type || 'none'}.`);
  return bodyOf(req);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function specError(path: string, rule: string): ServiceError {
  return invalid('AlgorithmSpec', `${path} ${rule}`);
}

function checkNamedList(spec: Record<string, unknown>, field: string, required: string[]) {
  const list = spec[field];
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw specError(field, 'must be an array');
  list.forEach((item, i) => {
    if (!isObject(item)) throw specError(`${field}[${i}]`, 'must be an object');
    for (const r of required) if (typeof item[r] !== 'string' || item[r] === '') throw specError(`${field}[${i}].${r}`, 'is required');
  });
}

/** The rules PaiStudio applies to AlgorithmSpec (required fields per the SDK models). */
function parseSpec(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) throw badRequest('MissingParameter.AlgorithmSpec', 'The parameter AlgorithmSpec is required.');
  let spec: unknown;
  try {
    spec = JSON.parse(raw);
  } catch {
    throw invalid('AlgorithmSpec', 'must be a JSON object');
  }
  if (!isObject(spec)) throw invalid('AlgorithmSpec', 'must be a JSON object');
  if (typeof spec.Image !== 'string' || spec.Image === '') throw specError('Image', 'is required');
  if (!isStringArray(spec.Command) || spec.Command.length === 0) throw specError('Command', 'is required and must be a non-empty array of strings');
  if (typeof spec.JobType !== 'string' || spec.JobType === '') throw specError('JobType', 'is required');
  checkNamedList(spec, 'HyperParameters', ['Name', 'Type']);
  checkNamedList(spec, 'InputChannels', ['Name']);
  checkNamedList(spec, 'OutputChannels', ['Name']);
  checkNamedList(spec, 'MetricDefinitions', ['Name', 'Regex']);
  checkNamedList(spec, 'ResourceRequirements', ['Key', 'Operator']);
  const policy = isObject(spec.ComputeResource) ? spec.ComputeResource.Policy : undefined;
  if (spec.ComputeResource !== undefined && (!isObject(policy) || typeof policy.Value !== 'string' || typeof policy.Version !== 'string')) {
    throw specError('ComputeResource.Policy', 'requires Value and Version');
  }
  return spec;
}

export function algorithmView(a: StoredAlgorithm, detail: boolean) {
  const { seq: _seq, versions: _versions, TenantId, ...rest } = a;
  return detail ? { ...rest, TenantId } : rest;
}

export function algorithmVersionView(a: StoredAlgorithm, v: StoredAlgorithmVersion, detail: boolean) {
  const base = {
    AlgorithmId: a.AlgorithmId,
    AlgorithmName: a.AlgorithmName,
    AlgorithmProvider: a.AlgorithmProvider ?? '',
    AlgorithmVersion: v.AlgorithmVersion,
    GmtCreateTime: v.GmtCreateTime,
    GmtModifiedTime: v.GmtModifiedTime,
    TenantId: a.TenantId,
    UserId: v.UserId,
  };
  return detail ? { ...base, AlgorithmSpec: v.AlgorithmSpec } : base;
}

export function paiStudioRoutes(store: Store): Route[] {
  const route = (action: string, method: Route['method'], path: string, handler: Route['handler']): Route => ({ product: PRODUCT, version: VERSION, action, method, path, handler });

  const getAlgorithm = (req: EmuRequest) => {
    const a = store.algorithms.get(req.params.AlgorithmId ?? '');
    if (!a) throw notFound('InvalidAlgorithm.NotFound', `The algorithm ${req.params.AlgorithmId} does not exist.`);
    return a;
  };
  const versionName = (req: EmuRequest) => {
    const name = req.params.AlgorithmVersion ?? '';
    if (!VERSION_NAME.test(name)) throw invalid('AlgorithmVersion', 'must be 1 to 64 letters, digits, ".", "_" or "-"');
    return name;
  };
  const getVersion = (req: EmuRequest): [StoredAlgorithm, StoredAlgorithmVersion] => {
    const a = getAlgorithm(req);
    const v = a.versions.get(req.params.AlgorithmVersion ?? '');
    if (!v) throw notFound('InvalidAlgorithmVersion.NotFound', `The version ${req.params.AlgorithmVersion} of algorithm ${a.AlgorithmId} does not exist.`);
    return [a, v];
  };

  return [
    route('CreateAlgorithm', 'POST', '/api/v1/algorithms', (req) => {
      const b = formOf(req);
      const name = optString(b, 'AlgorithmName');
      if (!name) throw badRequest('MissingParameter.AlgorithmName', 'The parameter AlgorithmName is required.');
      if (!ALGORITHM_NAME.test(name)) throw invalid('AlgorithmName', 'must be 1 to 64 letters, digits, "_" or "-", starting with a letter');
      const workspaceId = optString(b, 'WorkspaceId') ?? DEMO_ACCOUNT.WorkspaceId;
      for (const a of store.algorithms.values()) {
        if (a.WorkspaceId === workspaceId && a.AlgorithmName === name) throw badRequest('AlgorithmName.AlreadyExists', `An algorithm named ${name} already exists in workspace ${workspaceId}.`);
      }
      const now = store.now();
      const algorithm: StoredAlgorithm = {
        seq: store.nextSeq(),
        AlgorithmId: store.newId('algo'),
        AlgorithmName: name,
        AlgorithmDescription: optString(b, 'AlgorithmDescription'),
        DisplayName: optString(b, 'DisplayName'),
        WorkspaceId: workspaceId,
        UserId: DEMO_ACCOUNT.UserId,
        TenantId: DEMO_ACCOUNT.TenantId,
        GmtCreateTime: now,
        GmtModifiedTime: now,
        versions: new Map(),
      };
      store.algorithms.set(algorithm.AlgorithmId, algorithm);
      return { body: { AlgorithmId: algorithm.AlgorithmId, RequestId: req.requestId } };
    }),

    route('ListAlgorithms', 'GET', '/api/v1/algorithms', (req) => {
      const q = req.query;
      const matches = [...store.algorithms.values()]
        .filter(
          (a) =>
            (q.AlgorithmProvider ? a.AlgorithmProvider === q.AlgorithmProvider : !a.AlgorithmProvider) &&
            (!q.AlgorithmId || a.AlgorithmId === q.AlgorithmId) &&
            (!q.AlgorithmName || contains(a.AlgorithmName, q.AlgorithmName)) &&
            (!q.WorkspaceId || a.WorkspaceId === q.WorkspaceId),
        )
        .sort((a, b) => a.seq - b.seq);
      return { body: { Algorithms: pageOf(req, matches, MAX_PAGE_SIZE).map((a) => algorithmView(a, false)), TotalCount: matches.length, RequestId: req.requestId } };
    }),

    route('GetAlgorithm', 'GET', '/api/v1/algorithms/{AlgorithmId}', (req) => ({ body: { ...algorithmView(getAlgorithm(req), true), RequestId: req.requestId } })),

    route('UpdateAlgorithm', 'PUT', '/api/v1/algorithms/{AlgorithmId}', (req) => {
      const a = getAlgorithm(req);
      const b = formOf(req);
      if (b.AlgorithmName !== undefined) throw invalid('AlgorithmName', 'cannot be changed');
      const displayName = optString(b, 'DisplayName');
      const description = optString(b, 'AlgorithmDescription');
      if (displayName !== undefined) a.DisplayName = displayName;
      if (description !== undefined) a.AlgorithmDescription = description;
      a.GmtModifiedTime = store.now();
      return { body: { AlgorithmId: a.AlgorithmId, RequestId: req.requestId } };
    }),

    route('DeleteAlgorithm', 'DELETE', '/api/v1/algorithms/{AlgorithmId}', (req) => {
      store.algorithms.delete(getAlgorithm(req).AlgorithmId);
      return { body: { requestId: req.requestId } };
    }),

    route('CreateAlgorithmVersion', 'POST', '/api/v1/algorithms/{AlgorithmId}/versions/{AlgorithmVersion}', (req) => {
      const a = getAlgorithm(req);
      const name = versionName(req);
      if (a.versions.has(name)) throw badRequest('AlgorithmVersion.AlreadyExists', `The version ${name} of algorithm ${a.AlgorithmId} already exists.`);
      const spec = parseSpec(optString(formOf(req), 'AlgorithmSpec'));
      const now = store.now();
      a.versions.set(name, { seq: store.nextSeq(), AlgorithmVersion: name, AlgorithmSpec: spec, UserId: DEMO_ACCOUNT.UserId, GmtCreateTime: now, GmtModifiedTime: now });
      a.GmtModifiedTime = now;
      return { body: { AlgorithmId: a.AlgorithmId, AlgorithmVersion: name } };
    }),

    route('ListAlgorithmVersions', 'GET', '/api/v1/algorithms/{AlgorithmId}/versions', (req) => {
      const a = getAlgorithm(req);
      const versions = [...a.versions.values()].sort((x, y) => x.seq - y.seq);
      return { body: { AlgorithmVersions: pageOf(req, versions, MAX_PAGE_SIZE).map((v) => algorithmVersionView(a, v, false)), TotalCount: versions.length, RequestId: req.requestId } };
    }),

    route('GetAlgorithmVersion', 'GET', '/api/v1/algorithms/{AlgorithmId}/versions/{AlgorithmVersion}', (req) => {
      const [a, v] = getVersion(req);
      return { body: algorithmVersionView(a, v, true) };
    }),

    route('UpdateAlgorithmVersion', 'PUT', '/api/v1/algorithms/{AlgorithmId}/versions/{AlgorithmVersion}', (req) => {
      const [a, v] = getVersion(req);
      v.AlgorithmSpec = parseSpec(optString(formOf(req), 'AlgorithmSpec'));
      v.GmtModifiedTime = store.now();
      return { body: { AlgorithmId: a.AlgorithmId, AlgorithmVersion: v.AlgorithmVersion } };
    }),

    route('DeleteAlgorithmVersion', 'DELETE', '/api/v1/algorithms/{AlgorithmId}/versions/{AlgorithmVersion}', (req) => {
      const [a, v] = getVersion(req);
      a.versions.delete(v.AlgorithmVersion);
      return { body: { RequestId: req.requestId } };
    }),
  ];
}
