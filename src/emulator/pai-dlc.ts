import { randomBytes } from 'node:crypto';
import { badRequest, notFound, ServiceError, type EmuRequest, type Route } from './http.js';
import { bodyOf, contains, invalid, optEnum, optInt, optObject, optString, pageOf } from './params.js';
import { DEMO_ACCOUNT, formatTime, type Store, type StoredTensorboard } from './store.js';

/**
 * pai-dlc 2020-12-03 TensorBoards (upstream-contract section 3): UpdateTensorboard takes its
 * fields in the query, GetTensorboard's job parameter is `JodId` and its body is the
 * TensorBoard itself, modified time is `GmtModifyTime`, and statuses follow the clock
 * (Creating -> Running after start, Stopped on stop or when the running time is used up).
 * List answers spell statuses `Running`; Get answers spell them `running`, as the docs show.
 */

const PRODUCT = 'pai-dlc';
const VERSION = '2020-12-03';
const MAX_PAGE_SIZE = 100;
/** How long an instance stays Creating after a create or start. */
export const STARTUP_MS = 2000;
const DEFAULT_WINDOW_MS = 7 * 24 * 3_600_000;
const MAX_SHARE_SECONDS = 604_800;

export function tensorboardState(t: StoredTensorboard, now: number): { status: string; finishedAt?: number; reasonCode: string; reasonMessage: string } {
  if (t.terminal) return { status: t.terminal.status, finishedAt: t.terminal.at, reasonCode: t.terminal.reasonCode, reasonMessage: t.terminal.reasonMessage };
  if (t.stoppedAt !== undefined) return { status: 'Stopped', finishedAt: t.stoppedAt, reasonCode: 'StoppedByUser', reasonMessage: 'The TensorBoard was stopped by a user.' };
  const limitAt = t.startedAt + t.MaxRunningTimeMinutes * 60_000;
  if (now >= limitAt) return { status: 'Stopped', finishedAt: limitAt, reasonCode: 'MaxRunningTimeExceeded', reasonMessage: `Stopped after running for ${t.MaxRunningTimeMinutes} minutes.` };
  if (now < t.startedAt + STARTUP_MS) return { status: 'Creating', reasonCode: 'Creating', reasonMessage: 'The TensorBoard instance is starting.' };
  return { status: 'Running', reasonCode: 'Running', reasonMessage: 'The TensorBoard is running.' };
}

export function tensorboardView(t: StoredTensorboard, now: number, lowerCaseStatus: boolean, host: string) {
  const state = tensorboardState(t, now);
  const { seq: _seq, createdAt, modifiedAt, startedAt, stoppedAt: _stopped, terminal: _terminal, Uri: _uri, SourceType: _st, SourceId: _sid, ...rest } = t;
  return {
    ...rest,
    Status: lowerCaseStatus ? state.status.toLowerCase() : state.status,
    ReasonCode: state.reasonCode,
    ReasonMessage: state.reasonMessage,
    TensorboardUrl: state.status === 'Running' ? `https://${host}/tensorboards/${t.TensorboardId}/` : '',
    QuotaName: t.QuotaId ? `quota-${t.QuotaId}` : '',
    Duration: String(Math.max(0, Math.floor(((state.finishedAt ?? now) - startedAt) / 1000))),
    GmtCreateTime: formatTime(new Date(createdAt)),
    GmtModifyTime: formatTime(new Date(modifiedAt)),
    ...(state.finishedAt !== undefined ? { GmtFinishTime: formatTime(new Date(state.finishedAt)) } : {}),
  };
}

function isoQueryTime(v: string | undefined, name: string): number | undefined {
  if (!v) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) throw invalid(name, 'must be an ISO 8601 UTC time');
  return ms;
}

export function paiDlcRoutes(store: Store): Route[] {
  const route = (action: string, method: Route['method'], path: string, handler: Route['handler']): Route => ({ product: PRODUCT, version: VERSION, action, method, path, handler });
  const now = () => store.clock.now().getTime();
  const hostOf = (req: EmuRequest) => `dlc-tensorboard.${String(req.headers.host ?? 'localhost').split(':')[0]}`;

  const getTensorboard = (req: EmuRequest) => {
    const t = store.tensorboards.get(req.params.TensorboardId ?? '');
    if (!t) throw notFound('InvalidTensorboard.NotFound', `The TensorBoard ${req.params.TensorboardId} does not exist.`);
    if (req.query.WorkspaceId && req.query.WorkspaceId !== t.WorkspaceId) throw notFound('InvalidTensorboard.NotFound', `The TensorBoard ${t.TensorboardId} is not in workspace ${req.query.WorkspaceId}.`);
    return t;
  };
  const ack = (req: EmuRequest, t: StoredTensorboard) => ({ body: { TensorboardId: t.TensorboardId, RequestId: req.requestId } });

  return [
    route('CreateTensorboard', 'POST', '/api/v1/tensorboards', (req) => {
      const b = bodyOf(req);
      const sources = b.TensorboardDataSources;
      if (sources !== undefined && !Array.isArray(sources)) throw invalid('TensorboardDataSources', 'must be an array');
      const t: StoredTensorboard = {
        seq: store.nextSeq(),
        TensorboardId: `tensorboard-${formatTime(store.clock.now()).replace(/\D/g, '').slice(0, 14)}-${randomBytes(6).toString('hex')}`,
        DisplayName: optString(b, 'DisplayName'),
        JobId: optString(b, 'JobId'),
        SourceType: optString(b, 'SourceType'),
        SourceId: optString(b, 'SourceId'),
        DataSourceId: optString(b, 'DataSourceId'),
        DataSourceType: optEnum(b, 'DataSourceType', ['OSS', 'NAS']),
        TensorboardDataSources: (sources as Record<string, unknown>[] | undefined) ?? [],
        SummaryPath: optString(b, 'SummaryPath'),
        SummaryRelativePath: optString(b, 'SummaryRelativePath'),
        Uri: optString(b, 'Uri'),
        Options: optString(b, 'Options'),
        Cpu: optInt(b, 'Cpu'),
        Memory: optInt(b, 'Memory'),
        MaxRunningTimeMinutes: optInt(b, 'MaxRunningTimeMinutes') ?? 240,
        Priority: optString(b, 'Priority') ?? '1',
        QuotaId: optString(b, 'QuotaId'),
        Accessibility: optEnum(b, 'Accessibility', ['PUBLIC', 'PRIVATE']) ?? 'PRIVATE',
        TensorboardSpec: optObject(b, 'TensorboardSpec'),
        WorkspaceId: optString(b, 'WorkspaceId') ?? DEMO_ACCOUNT.WorkspaceId,
        UserId: DEMO_ACCOUNT.UserId,
        Username: 'demo-user',
        createdAt: now(),
        modifiedAt: now(),
        startedAt: now(),
      };
      if (!t.JobId && !t.SourceId && !t.DataSourceId && !t.Uri && t.TensorboardDataSources.length === 0) {
        throw badRequest('MissingParameter', 'One of JobId, SourceId, DataSourceId, Uri or TensorboardDataSources is required.');
      }
      if (t.JobId && !t.SourceId) {
        t.SourceType = 'job';
        t.SourceId = t.JobId;
      }
      if (!/^[1-9]$/.test(t.Priority)) throw invalid('Priority', 'must be 1 to 9');
      if (t.MaxRunningTimeMinutes < 1) throw invalid('MaxRunningTimeMinutes', 'must be at least 1');
      t.SummaryPath ??= t.Uri ?? (t.JobId ? `oss://pai-dlc-logs.oss-cn-hangzhou.aliyuncs.com/${t.JobId}/tensorboard/` : undefined);
      store.tensorboards.set(t.TensorboardId, t);
      return { body: { TensorboardId: t.TensorboardId, DataSourceId: t.DataSourceId ?? '', JobId: t.JobId ?? '', RequestId: req.requestId } };
    }),

    route('GetTensorboard', 'GET', '/api/v1/tensorboards/{TensorboardId}', (req) => {
      const t = getTensorboard(req);
      if (req.query.JodId && t.JobId !== req.query.JodId) throw notFound('InvalidTensorboard.NotFound', `The TensorBoard ${t.TensorboardId} does not belong to job ${req.query.JodId}.`);
      return { body: { ...tensorboardView(t, now(), true, hostOf(req)), RequestId: req.requestId } };
    }),

    route('ListTensorboards', 'GET', '/api/v1/tensorboards', (req) => {
      const q = req.query;
      const at = now();
      const start = isoQueryTime(q.StartTime, 'StartTime') ?? at - DEFAULT_WINDOW_MS;
      const end = isoQueryTime(q.EndTime, 'EndTime') ?? Number.POSITIVE_INFINITY;
      const sortBy = q.SortBy ?? 'GmtCreateTime';
      if (!['DisplayName', 'GmtCreateTime'].includes(sortBy)) throw invalid('SortBy', 'must be DisplayName or GmtCreateTime');
      const order = (q.Order ?? 'desc').toLowerCase();
      if (order !== 'asc' && order !== 'desc') throw invalid('Order', 'must be asc or desc');
      const rows = [...store.tensorboards.values()].map((t) => ({ t, state: tensorboardState(t, at) }));
      const matches = rows.filter(
        ({ t, state }) =>
          t.createdAt >= start &&
          t.createdAt <= end &&
          (!q.WorkspaceId || t.WorkspaceId === q.WorkspaceId) &&
          (!q.TensorboardId || t.TensorboardId === q.TensorboardId) &&
          (!q.DisplayName || contains(t.DisplayName, q.DisplayName)) &&
          (!q.JobId || t.JobId === q.JobId) &&
          (!q.SourceType || t.SourceType === q.SourceType) &&
          (!q.SourceId || t.SourceId === q.SourceId) &&
          (!q.Status || state.status.toLowerCase() === q.Status.toLowerCase()) &&
          (!q.Accessibility || t.Accessibility === q.Accessibility) &&
          (!q.PaymentType || (q.PaymentType === 'Postpaid') === Boolean(t.TensorboardSpec)) &&
          (!q.QuotaId || t.QuotaId === q.QuotaId) &&
          (!q.UserId || t.UserId === q.UserId) &&
          (!q.Username || t.Username === q.Username),
      );
      const dir = order === 'asc' ? 1 : -1;
      matches.sort((a, b) => dir * (sortBy === 'DisplayName' ? (a.t.DisplayName ?? '').localeCompare(b.t.DisplayName ?? '') || a.t.seq - b.t.seq : a.t.createdAt - b.t.createdAt || a.t.seq - b.t.seq));
      const host = hostOf(req);
      return { body: { Tensorboards: pageOf(req, matches, MAX_PAGE_SIZE).map((r) => tensorboardView(r.t, at, false, host)), TotalCount: matches.length, RequestId: req.requestId } };
    }),

    route('StartTensorboard', 'PUT', '/api/v1/tensorboards/{TensorboardId}/start', (req) => {
      const t = getTensorboard(req);
      const status = tensorboardState(t, now()).status;
      if (status === 'Running' || status === 'Creating') throw new ServiceError(400, 'InvalidStatus', `The TensorBoard is ${status} and cannot be started.`);
      t.startedAt = now();
      t.stoppedAt = undefined;
      t.terminal = undefined;
      t.modifiedAt = now();
      return ack(req, t);
    }),

    route('StopTensorboard', 'PUT', '/api/v1/tensorboards/{TensorboardId}/stop', (req) => {
      const t = getTensorboard(req);
      const status = tensorboardState(t, now()).status;
      if (status !== 'Running' && status !== 'Creating') throw new ServiceError(400, 'InvalidStatus', `The TensorBoard is ${status} and cannot be stopped.`);
      t.stoppedAt = now();
      t.modifiedAt = now();
      return ack(req, t);
    }),

    route('UpdateTensorboard', 'PUT', '/api/v1/tensorboards/{TensorboardId}', (req) => {
      if (req.rawBody !== '') throw badRequest('InvalidParameter', 'UpdateTensorboard takes its parameters in the query string, not a body.');
      const t = getTensorboard(req);
      const q = req.query;
      if (q.Accessibility !== undefined) {
        if (!['PUBLIC', 'PRIVATE'].includes(q.Accessibility)) throw invalid('Accessibility', 'must be PUBLIC or PRIVATE');
        t.Accessibility = q.Accessibility;
      }
      if (q.MaxRunningTimeMinutes !== undefined) {
        if (!/^\d+$/.test(q.MaxRunningTimeMinutes) || Number(q.MaxRunningTimeMinutes) < 1) throw invalid('MaxRunningTimeMinutes', 'must be a positive integer');
        t.MaxRunningTimeMinutes = Number(q.MaxRunningTimeMinutes);
      }
      if (q.Priority !== undefined) {
        if (!/^[1-9]$/.test(q.Priority)) throw invalid('Priority', 'must be 1 to 9');
        t.Priority = q.Priority;
      }
      t.modifiedAt = now();
      return ack(req, t);
    }),

    route('DeleteTensorboard', 'DELETE', '/api/v1/tensorboards/{TensorboardId}', (req) => {
      const t = getTensorboard(req);
      store.tensorboards.delete(t.TensorboardId);
      return ack(req, t);
    }),

    route('GetTensorboardSharedUrl', 'GET', '/api/v1/tensorboards/{TensorboardId}/sharedurl', (req) => {
      const t = getTensorboard(req);
      const raw = req.query.ExpireTimeSeconds ?? '86400';
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_SHARE_SECONDS) throw invalid('ExpireTimeSeconds', `must be 1 to ${MAX_SHARE_SECONDS}`);
      const expires = Math.floor(now() / 1000) + Number(raw);
      return { body: { TensorboardSharedUrl: `https://${hostOf(req)}/share/${t.TensorboardId}/?token=${randomBytes(12).toString('hex')}&expires=${expires}`, RequestId: req.requestId } };
    }),
  ];
}
