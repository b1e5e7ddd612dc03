import { randomBytes } from 'node:crypto';
import { ServiceError, type EmuRequest, type Route } from './http.js';
import { bodyOf, contains, type Body } from './params.js';
import { appTypeOf, inputOf, judge, TEMPLATES } from './judge.js';
import { DEMO_ACCOUNT, type Store, type StoredEvalTask, type StoredTraceResult } from './store.js';

/**
 * PaiLLMTrace 2024-03-11 online evaluation tasks (upstream-contract section 4): the create
 * call carries the task as JSON in the `body` query parameter, times are `YYYY-MM-DD HH:mm:ss`
 * UTC, statuses follow the clock (CREATED -> RUNNING -> FINISHED; stop gives USER_CANCELED),
 * a stopped task cannot be modified, and the judge's ApiKey is echoed back as the service does.
 *
 * And their results, templates and single-trace evaluation (section 13): a task has as many
 * results as its RecordCount, made by the emulator's judge from the task id and index; result
 * records are JSON strings (objects from ListOnlineEvalTaskResults, one-element arrays from
 * ListEvalResults, as in the service's examples); EvaluateTrace takes a JSON body with only
 * the SDK's keys and its result is visible to ListEvalResults at once.
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
/** EvaluateTrace's MinTime/MaxTime may also be a bare date. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The judge's highest Temperature ("Maximum value: 0.2" in the API docs). */
const MAX_TEMPERATURE = 0.2;
/** The body keys of the SDK's EvaluateTraceRequest; anything else is refused. */
const EVALUATE_TRACE_FIELDS = ['AppName', 'EvaluationConfig', 'EvaluationId', 'MaxTime', 'MinTime', 'ModelConfig'];

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
    return { Key: String(f.Key), Operator: String(f.Operator), Value: String((f.Value as string | number | undefined) ?? '') };
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
  if (typeof m.Temperature === 'number' && (m.Temperature < 0 || m.Temperature > MAX_TEMPERATURE)) throw inputError(`ModelConfig.Temperature must be between 0 and ${MAX_TEMPERATURE}`);
  return m;
}

/** EvaluateTrace's times: `YYYY-MM-DD HH:mm:ss` or `YYYY-MM-DD`, UTC. */
function parseEvalTime(v: unknown, name: string): number | undefined {
  if (typeof v === 'string' && DATE.test(v)) return parseTime(`${v} 00:00:00`, name);
  return parseTime(v, name);
}

/** PageNumber (> 0, default 1) and PageSize (1..50, default 10), answered as PaiLLMTrace does. */
function pageParams(q: Readonly<Record<string, string>>) {
  const page = Number(q.PageNumber ?? '1');
  const size = Number(q.PageSize ?? '10');
  if (!Number.isInteger(page) || page < 1) throw inputError('page number should be greater than 0');
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw inputError(`page size should be between 1 and ${MAX_PAGE_SIZE}`);
  return { start: (page - 1) * size, size };
}

/** A comma-joined id list (`TraceIds`, `RecordIds`), or undefined when absent or empty. */
const idList = (v: string | undefined) => {
  const ids = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return ids.length ? ids : undefined;
};

/**
 * The trace id of a task's i-th result: the task id's first half and the index, so a trace id
 * leads back to its result without storing one.
 */
const taskTraceId = (t: StoredEvalTask, i: number) => `${t.Id.slice(0, 16)}${i.toString(16).padStart(16, '0')}`;

/** A task's i-th result record (i from 0, oldest first). */
const taskResult = (t: StoredEvalTask, i: number) => judge(appTypeOf(t.EvaluationConfig), `${t.Id}:${i}`);

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
      const { start, size } = pageParams(q);
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

    // A task's results, newest first: as many as its RecordCount says, made on demand.
    route('ListOnlineEvalTaskResults', 'GET', '/api/v1/PAILLMTrace/onlineevaltaskresults', (req) => {
      const q = req.query;
      const { start, size } = pageParams(q);
      const traceIds = idList(q.TraceIds);
      if (!q.EvaluationId && !traceIds) throw inputError('must provide trace_id(s) or eval_id');
      if (q.MostRecentResultsOnly !== undefined && !/^(true|false)$/i.test(q.MostRecentResultsOnly)) throw inputError('MostRecentResultsOnly must be true or false');
      const at = now();
      const tasks = (q.EvaluationId ? [store.evalTasks.get(q.EvaluationId)].filter((t) => t !== undefined) : [...store.evalTasks.values()]).map((t) => ({
        t,
        count: evalTaskState(t, at).recordCount,
      }));
      const answer = (rows: { t: StoredEvalTask; i: number }[], total: number) => ({
        body: { EvaluationResults: rows.map(({ t, i }) => JSON.stringify(taskResult(t, i))), TotalCount: total, RequestId: req.requestId },
      });
      if (traceIds) {
        const rows = traceIds.flatMap((id) => {
          const i = /^[0-9a-f]{32}$/.test(id) ? Number.parseInt(id.slice(16), 16) : -1;
          const hit = tasks.find(({ t, count }) => i >= 0 && i < count && taskTraceId(t, i) === id);
          return hit ? [{ t: hit.t, i }] : [];
        });
        return answer(rows.slice(start, start + size), rows.length);
      }
      // One task's results, newest first; only the page's are made.
      const only = tasks[0];
      if (!only) return answer([], 0);
      const length = Math.max(0, Math.min(size, only.count - start));
      return answer(Array.from({ length }, (_, k) => ({ t: only.t, i: only.count - 1 - (start + k) })), only.count);
    }),

    route('GetEvaluationTemplates', 'GET', '/api/v1/PAILLMTrace/eval/templates', (req) => ({ body: { EvaluationTemplates: TEMPLATES, RequestId: req.requestId } })),

    route('EvaluateTrace', 'PUT', '/api/v1/PAILLMTrace/eval/trace/{TraceId}', (req) => {
      const traceId = req.params.TraceId ?? '';
      if (!traceId.trim()) throw inputError('trace id is empty');
      if (req.query.body !== undefined) throw inputError('the evaluation goes in the JSON request body, not in a body query parameter');
      const b = bodyOf(req);
      const unknown = Object.keys(b).find((k) => !EVALUATE_TRACE_FIELDS.includes(k));
      if (unknown !== undefined) throw inputError(`unknown parameter ${unknown}`);
      const config = evaluationConfig(b.EvaluationConfig);
      if (!config || !['Query', 'Answer', 'Context'].some((p) => config[p])) throw inputError('EvaluationConfig is required.');
      const appName = str(b.AppName, 'AppName', 256);
      const min = parseEvalTime(b.MinTime, 'MinTime');
      const max = parseEvalTime(b.MaxTime, 'MaxTime');
      if (min !== undefined && max !== undefined && max < min) throw inputError('MaxTime must not be before MinTime');
      modelConfig(b.ModelConfig);
      const id = str(b.EvaluationId, 'EvaluationId', 128) || randomBytes(16).toString('hex');
      let evaluation = store.traceEvaluations.get(id);
      if (!evaluation) store.traceEvaluations.set(id, (evaluation = new Map<string, StoredTraceResult>()));
      // The judge's key is used, not kept.
      evaluation.set(traceId, { seq: store.nextSeq(), TraceId: traceId, ...(appName ? { AppName: appName } : {}), input: inputOf(traceId, appName), record: judge(appTypeOf(config), `${id}:${traceId}`) });
      return { body: { EvaluationId: id, RequestId: req.requestId } };
    }),

    // Newest first; each record is a one-element JSON array, as in the service's example.
    route('ListEvalResults', 'GET', '/api/v1/PAILLMTrace/eval/results', (req) => {
      const q = req.query;
      const { start, size } = pageParams(q);
      const recordIds = idList(q.RecordIds);
      if (!q.EvaluationId && !recordIds) throw inputError('must provide record id(s) or eval_id');
      const evaluations = q.EvaluationId ? [store.traceEvaluations.get(q.EvaluationId)].filter((e) => e !== undefined) : [...store.traceEvaluations.values()];
      const rows = evaluations
        .flatMap((e) => [...e.values()])
        .filter((r) => (!recordIds || recordIds.includes(r.TraceId)) && (!q.Keyword || contains(r.input, q.Keyword)))
        .sort((a, b) => b.seq - a.seq);
      return { body: { EvaluationResults: rows.slice(start, start + size).map((r) => JSON.stringify([r.record])), TotalCount: rows.length, RequestId: req.requestId } };
    }),
  ];
}
