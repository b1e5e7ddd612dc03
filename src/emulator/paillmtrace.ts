import { randomBytes } from 'node:crypto';
import { ServiceError, type EmuRequest, type Route } from './http.js';
import { bodyOf, contains, type Body } from './params.js';
import { DEMO_ACCOUNT, type Store, type StoredEvalTask } from './store.js';

/**
 * PaiLLMTrace 2024-03-11 online evaluation tasks (upstream-contract section 4): the create
 * call carries the task as JSON in the `body` query parameter, times are `YYYY-MM-DD HH:mm:ss`
 * UTC, statuses follow the clock (CREATED -> RUNNING -> FINISHED; stop gives USER_CANCELED),
 * a stopped task cannot be modified, and the judge's ApiKey is echoed back as the service does.
 */

const PRODUCT = 'PaiLLMTrace';
const VERSION = '2024-03-11';
const MAX_PAGE_SIZE = 50;
/** How long a new task stays CREATED before it starts sampling. */
export const ACTIVATION_MS = 2000;
const FILTER_KEYS = ['Status', 'SpanName', 'Input', 'TraceType', 'SpanType', 'ServiceName', 'Output', 'TraceName', 'ServiceId'];
const FILTER_OPERATORS = ['=', 'StartsWith', 'Contains'];
const SORT_FIELDS = ['TaskId', 'CreateTime', 'TaskName', 'Status'];
const STATUSES = ['CREATED', 'RUNNING', 'FINISHED', 'USER_CANCELED'];
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** PaiLLMTrace's input errors: HTTP 400 with Code InvalidInputParams. */
const inputError = (message: string) => new ServiceError(400, 'InvalidInputParams', message);

export const llmTime = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ''));

function parseTime(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const m = typeof v === 'string' ? TIME.exec(v) : null;
  const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : NaN;
  if (Number.isNaN(ms)) throw inputError(`${name} must be a UTC time in YYYY-MM-DD HH:mm:ss format`);
  return ms;
}

function intIn(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw inputError(`${name} must be an integer between ${min} and ${max}`);
  return v;
}

function str(v: unknown, name: string, max = 1024): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw inputError(`${name} must be a string of at most ${max} characters`);
  return v;
}

function filters(v: unknown): StoredEvalTask['Filters'] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw inputError('Filters must be an array');
  return v.map((f: Record<string, unknown>, i) => {
    if (!FILTER_KEYS.includes(String(f?.Key))) throw inputError(`Filters[${i}].Key must be one of ${FILTER_KEYS.join(', ')}`);
    if (!FILTER_OPERATORS.includes(String(f?.Operator))) throw inputError(`Filters[${i}].Operator must be one of ${FILTER_OPERATORS.join(', ')}`);
    return { Key: String(f.Key), Operator: String(f.Operator), Value: String(f.Value ?? '') };
  });
}

function evaluationConfig(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw inputError('EvaluationConfig must be an object');
  for (const part of ['Query', 'Answer', 'Context']) {
    const p = (v as Record<string, Record<string, unknown> | undefined>)[part];
    if (p === undefined || p === null) continue;
    if (typeof p.SpanName !== 'string' || p.SpanName === '') throw inputError(`EvaluationConfig.${part}.SpanName is required.`);
    if (typeof p.JsonPathInSpan !== 'string' || p.JsonPathInSpan === '') throw inputError(`EvaluationConfig.${part}.JsonPathInSpan is required.`);
  }
  return v as Record<string, unknown>;
}

function modelConfig(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw inputError('ModelConfig must be an object');
  const m = v as Record<string, unknown>;
  for (const k of ['Name', 'Endpoint', 'ApiKey']) str(m[k], `ModelConfig.${k}`);
  for (const k of ['IsSelfHost', 'UseFunctionCall']) if (m[k] !== undefined && typeof m[k] !== 'boolean') throw inputError(`ModelConfig.${k} must be a boolean`);
  for (const k of ['Temperature', 'TopP']) if (m[k] !== undefined && typeof m[k] !== 'number') throw inputError(`ModelConfig.${k} must be a number`);
  return m;
}

/** The task's state at `now`, derived from its times the way the service's scheduler moves it. */
export function evalTaskState(t: StoredEvalTask, now: number) {
  const activeFrom = Math.max(t.createdAt + ACTIVATION_MS, t.startTime ?? 0);
  let status: string;
  if (t.stoppedAt !== undefined) status = 'USER_CANCELED';
  else if (now < activeFrom) status = 'CREATED';
  else if (t.endTime !== undefined && now >= t.endTime) status = 'FINISHED';
  else status = 'RUNNING';
  const windowMs = t.SamplingFrequencyMinutes * 60_000;
  const from = t.startTime ?? t.createdAt;
  const until = Math.min(now, t.stoppedAt ?? Number.POSITIVE_INFINITY, t.endTime ?? Number.POSITIVE_INFINITY);
  const windows = status === 'CREATED' ? 0 : Math.max(0, Math.floor((until - from) / windowMs));
  const perWindow = Math.max(1, Math.round((20 * t.SamplingRatio) / 100));
  return {
    status,
    recordCount: windows * perWindow,
    lastWindow: windows > 0 ? [from + (windows - 1) * windowMs, from + windows * windowMs] : undefined,
  };
}

export function evalTaskView(t: StoredEvalTask, now: number, detail: boolean) {
  const state = evalTaskState(t, now);
  return {
    Id: t.Id,
    Name: t.Name,
    Description: t.Description ?? '',
    AppName: t.AppName ?? '',
    Status: state.status,
    AliyunUid: t.AliyunUid,
    UserId: t.UserId,
    GmtCreateTime: llmTime(t.createdAt),
    GmtStartTime: llmTime(t.startTime),
    GmtEndTime: llmTime(t.endTime),
    ...(detail ? { GmtLastSamplingWindowStartTime: llmTime(state.lastWindow?.[0]), GmtLastSamplingWindowEndTime: llmTime(state.lastWindow?.[1]) } : {}),
    SamplingFrequencyMinutes: t.SamplingFrequencyMinutes,
    SamplingRatio: t.SamplingRatio,
    RecordCount: state.recordCount,
    Filters: t.Filters,
    ...(t.EvaluationConfig ? { EvaluationConfig: t.EvaluationConfig } : {}),
    ...(t.ModelConfig ? { ModelConfig: t.ModelConfig } : {}),
  };
}

/** Applies create/update fields to a task, validating each. */
function applyFields(t: StoredEvalTask, b: Body) {
  const name = str(b.TaskName, 'TaskName', 128);
  if (name !== undefined) {
    if (name.trim() === '') throw inputError('TaskName must not be empty');
    t.Name = name;
  }
  const description = str(b.Description, 'Description');
  if (description !== undefined) t.Description = description;
  const appName = str(b.AppName, 'AppName', 256);
  if (appName !== undefined) t.AppName = appName;
  const start = parseTime(b.StartTime, 'StartTime');
  if (start !== undefined) t.startTime = start;
  const end = parseTime(b.EndTime, 'EndTime');
  if (end !== undefined) t.endTime = end;
  if (t.startTime !== undefined && t.endTime !== undefined && t.endTime < t.startTime) throw inputError('EndTime must not be before StartTime');
  const freq = intIn(b.SamplingFrequencyMinutes, 'SamplingFrequencyMinutes', 1, 1440);
  if (freq !== undefined) t.SamplingFrequencyMinutes = freq;
  const ratio = intIn(b.SamplingRatio, 'SamplingRatio', 0, 100);
  if (ratio !== undefined) t.SamplingRatio = ratio;
  const f = filters(b.Filters);
  if (f !== undefined) t.Filters = f;
  const e = evaluationConfig(b.EvaluationConfig);
  if (e !== undefined) t.EvaluationConfig = e;
  const m = modelConfig(b.ModelConfig);
  if (m !== undefined) t.ModelConfig = m;
}

export function paiLlmTraceRoutes(store: Store): Route[] {
  const route = (action: string, method: Route['method'], path: string, handler: Route['handler']): Route => ({ product: PRODUCT, version: VERSION, action, method, path, handler });
  const now = () => store.clock.now().getTime();

  const getTask = (req: EmuRequest) => {
    const id = req.params.TaskId ?? '';
    if (!id.trim()) throw inputError('task id is empty');
    const t = store.evalTasks.get(id);
    if (!t) throw new ServiceError(404, 'TaskNotFound', `The online evaluation task ${id} does not exist.`);
    return t;
  };
  const ack = (req: EmuRequest) => ({ body: { RequestId: req.requestId } });

  return [
    route('CreateOnlineEvalTask', 'POST', '/api/v1/PAILLMTrace/onlineevaltasks', (req) => {
      if (req.rawBody !== '') throw inputError('the task goes in the body query parameter, not in the request body');
      const raw = req.query.body;
      if (raw === undefined || raw === '') throw inputError('body is required');
      let b: unknown;
      try {
        b = JSON.parse(raw);
      } catch {
        throw inputError('body must be a JSON object');
      }
      if (typeof b !== 'object' || b === null || Array.isArray(b)) throw inputError('body must be a JSON object');
      if (typeof (b as Body).TaskName !== 'string') throw inputError('TaskName is required');
      const task: StoredEvalTask = {
        seq: store.nextSeq(),
        Id: randomBytes(16).toString('hex'),
        Name: '',
        AliyunUid: DEMO_ACCOUNT.OwnerId,
        UserId: DEMO_ACCOUNT.UserId,
        createdAt: now(),
        SamplingFrequencyMinutes: 10,
        SamplingRatio: 100,
        Filters: [],
      };
      applyFields(task, b as Body);
      store.evalTasks.set(task.Id, task);
      return { body: { TaskId: task.Id, RequestId: req.requestId } };
    }),

    route('GetOnlineEvalTask', 'GET', '/api/v1/PAILLMTrace/onlineevaltasks/{TaskId}', (req) => ({ body: { Task: evalTaskView(getTask(req), now(), true), RequestId: req.requestId } })),

    route('ListOnlineEvalTasks', 'GET', '/api/v1/PAILLMTrace/onlineevaltasks', (req) => {
      const q = req.query;
      const page = Number(q.PageNumber ?? '1');
      const size = Number(q.PageSize ?? '10');
      if (!Number.isInteger(page) || page < 1) throw inputError('page number should be greater than 0');
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw inputError(`page size should be between 1 and ${MAX_PAGE_SIZE}`);
      if (q.Status && !STATUSES.includes(q.Status)) throw inputError(`Status must be one of ${STATUSES.join(', ')}`);
      if (q.SamplingMethod && !['Window', 'Ratio'].includes(q.SamplingMethod)) throw inputError('SamplingMethod must be Window or Ratio');
      const sortBy = q.SortBy ?? 'CreateTime';
      if (!SORT_FIELDS.includes(sortBy)) throw inputError(`SortBy must be one of ${SORT_FIELDS.join(', ')}`);
      const order = (q.SortOrder ?? 'DESC').toUpperCase();
      if (order !== 'ASC' && order !== 'DESC') throw inputError('SortOrder must be ASC or DESC');
      const min = parseTime(q.MinTime, 'MinTime');
      const max = parseTime(q.MaxTime, 'MaxTime');
      const at = now();
      const rows = [...store.evalTasks.values()].map((t) => ({ t, view: evalTaskView(t, at, false) }));
      const matches = rows.filter(
        ({ t, view }) =>
          (!q.AppName || t.AppName === q.AppName) &&
          (!q.Keyword || [t.Name, t.Id, t.Description, t.AppName].some((f) => contains(f, q.Keyword!))) &&
          (!q.Status || view.Status === q.Status) &&
          (!q.SamplingMethod || (q.SamplingMethod === 'Ratio') === t.SamplingRatio < 100) &&
          (min === undefined || t.createdAt >= min) &&
          (max === undefined || t.createdAt <= max),
      );
      const key = (r: (typeof rows)[number]): string | number =>
        sortBy === 'TaskId' ? r.t.Id : sortBy === 'TaskName' ? r.t.Name : sortBy === 'Status' ? r.view.Status : r.t.createdAt;
      const dir = order === 'ASC' ? 1 : -1;
      matches.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return dir * (ka < kb ? -1 : ka > kb ? 1 : a.t.seq - b.t.seq);
      });
      const start = (page - 1) * size;
      return { body: { Tasks: matches.slice(start, start + size).map((r) => r.view), TotalCount: matches.length, RequestId: req.requestId } };
    }),

    route('UpdateOnlineEvalTask', 'PUT', '/api/v1/PAILLMTrace/onlineevaltasks/{TaskId}', (req) => {
      const t = getTask(req);
      if (t.stoppedAt !== undefined) throw inputError('cannot modify a stopped task');
      applyFields(t, bodyOf(req));
      return ack(req);
    }),

    route('StopOnlineEvalTask', 'PUT', '/api/v1/PAILLMTrace/onlineevaltasks/{TaskId}/stop', (req) => {
      const t = getTask(req);
      if (t.stoppedAt !== undefined) throw inputError('the task is already stopped');
      t.stoppedAt = now();
      return ack(req);
    }),

    route('DeleteOnlineEvalTask', 'DELETE', '/api/v1/PAILLMTrace/onlineevaltasks/{TaskId}', (req) => {
      store.evalTasks.delete(getTask(req).Id);
      return ack(req);
    }),
  ];
}
