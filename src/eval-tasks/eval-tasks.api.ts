import type { ZodType } from 'zod';
import type { UpstreamSession } from '../core/upstream/client.js';
import { defineOperation, type BodyType, type HttpMethod } from '../core/upstream/operation.js';
import {
  AckResponse,
  CreateEvalTaskResponse,
  EvaluateTraceResponse,
  GetEvalTaskResponse,
  GetEvaluationTemplatesResponse,
  ListEvalResultsResponse,
  ListEvalTasksResponse,
} from './eval-tasks.dto.js';

/** PaiLLMTrace 2024-03-11 online evaluation task operations. */
const op = <R>(action: string, method: HttpMethod, path: string, response: ZodType<R>, extra: { bodyType?: BodyType; invalidates?: readonly string[] } = {}) =>
  defineOperation({ product: 'PaiLLMTrace', action, method, path, response, errorInBody: true, ...extra });

const TASKS = '/api/v1/PAILLMTrace/onlineevaltasks';
const TASK = `${TASKS}/{TaskId}`;
const EVAL = '/api/v1/PAILLMTrace/eval';

export const EvalTaskOps = {
  // The SDKs send the task as JSON in a query parameter named `body`, on a POST without a body.
  CreateOnlineEvalTask: op('CreateOnlineEvalTask', 'POST', TASKS, CreateEvalTaskResponse, { bodyType: 'none' }),
  GetOnlineEvalTask: op('GetOnlineEvalTask', 'GET', TASK, GetEvalTaskResponse),
  ListOnlineEvalTasks: op('ListOnlineEvalTasks', 'GET', TASKS, ListEvalTasksResponse),
  UpdateOnlineEvalTask: op('UpdateOnlineEvalTask', 'PUT', TASK, AckResponse),
  StopOnlineEvalTask: op('StopOnlineEvalTask', 'PUT', `${TASK}/stop`, AckResponse, { bodyType: 'none' }),
  DeleteOnlineEvalTask: op('DeleteOnlineEvalTask', 'DELETE', TASK, AckResponse),
  // Section 13: what the judge found, its prompts, and evaluating one trace on demand.
  ListOnlineEvalTaskResults: op('ListOnlineEvalTaskResults', 'GET', '/api/v1/PAILLMTrace/onlineevaltaskresults', ListEvalResultsResponse),
  ListEvalResults: op('ListEvalResults', 'GET', `${EVAL}/results`, ListEvalResultsResponse),
  GetEvaluationTemplates: op('GetEvaluationTemplates', 'GET', `${EVAL}/templates`, GetEvaluationTemplatesResponse),
  // A normal JSON body (unlike CreateOnlineEvalTask). Its results are read from `/eval/results`,
  // a path the write's own does not reach, so the read cache is told to drop them.
  EvaluateTrace: op('EvaluateTrace', 'PUT', `${EVAL}/trace/{TraceId}`, EvaluateTraceResponse, { invalidates: [`${EVAL}/results`] }),
} as const;

/** PaiLLMTrace's largest page (tasks and results alike). */
export const EVAL_TASK_MAX_PAGE_SIZE = 50;

export interface ListEvalTasksQuery {
  AppName?: string | undefined;
  Keyword?: string | undefined;
  Status?: string | undefined;
  SamplingMethod?: string | undefined;
  MinTime?: string | undefined;
  MaxTime?: string | undefined;
  SortBy?: string | undefined;
  SortOrder?: string | undefined;
  PageNumber: number;
  PageSize: number;
}

/** ListOnlineEvalTaskResults: `EvaluationId` is the eval task's id. */
export interface ListTaskResultsQuery {
  EvaluationId: string;
  TraceIds?: readonly string[] | undefined;
  PageNumber: number;
  PageSize: number;
}

/** ListEvalResults: `EvaluationId` is the id EvaluateTrace returned; `RecordIds` are trace ids. */
export interface ListEvalResultsQuery {
  EvaluationId: string;
  RecordIds?: readonly string[] | undefined;
  Keyword?: string | undefined;
  PageNumber: number;
  PageSize: number;
}

/** Id lists travel as one comma-joined query value (the SDK's `simple` style), not as JSON. */
const joined = (ids: readonly string[] | undefined) => (ids?.length ? ids.join(',') : undefined);

/** Upstream calls of the eval-task domain; `secrets` keeps the judge's API key out of errors. */
export function createEvalTasksApi(upstream: UpstreamSession) {
  return {
    list: (query: ListEvalTasksQuery) => upstream.call(EvalTaskOps.ListOnlineEvalTasks, { query }),
    get: (TaskId: string) => upstream.call(EvalTaskOps.GetOnlineEvalTask, { path: { TaskId } }),
    create: (task: Record<string, unknown>, secrets: string[]) => upstream.call(EvalTaskOps.CreateOnlineEvalTask, { query: { body: task }, secrets }),
    update: (TaskId: string, body: Record<string, unknown>, secrets: string[]) => upstream.call(EvalTaskOps.UpdateOnlineEvalTask, { path: { TaskId }, body, secrets }),
    stop: (TaskId: string) => upstream.call(EvalTaskOps.StopOnlineEvalTask, { path: { TaskId } }),
    delete: (TaskId: string) => upstream.call(EvalTaskOps.DeleteOnlineEvalTask, { path: { TaskId } }),
    taskResults: ({ TraceIds, ...query }: ListTaskResultsQuery) => upstream.call(EvalTaskOps.ListOnlineEvalTaskResults, { query: { ...query, TraceIds: joined(TraceIds) } }),
    evalResults: ({ RecordIds, ...query }: ListEvalResultsQuery) => upstream.call(EvalTaskOps.ListEvalResults, { query: { ...query, RecordIds: joined(RecordIds) } }),
    templates: () => upstream.call(EvalTaskOps.GetEvaluationTemplates),
    evaluateTrace: (TraceId: string, body: Record<string, unknown>, secrets: string[]) => upstream.call(EvalTaskOps.EvaluateTrace, { path: { TraceId }, body, secrets }),
  };
}

export type EvalTasksApi = ReturnType<typeof createEvalTasksApi>;
