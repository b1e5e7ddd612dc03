import type { ZodType } from 'zod';
import type { UpstreamSession } from '../core/upstream/client.js';
import { defineOperation, type BodyType, type HttpMethod } from '../core/upstream/operation.js';
import { AckResponse, CreateEvalTaskResponse, GetEvalTaskResponse, ListEvalTasksResponse } from './eval-tasks.dto.js';

/** PaiLLMTrace 2024-03-11 online evaluation task operations. */
const op = <R>(action: string, method: HttpMethod, path: string, response: ZodType<R>, bodyType?: BodyType) =>
  defineOperation({ product: 'PaiLLMTrace', action, method, path, response, errorInBody: true, ...(bodyType ? { bodyType } : {}) });

const TASKS = '/api/v1/PAILLMTrace/onlineevaltasks';
const TASK = `${TASKS}/{TaskId}`;

export const EvalTaskOps = {
  // The SDKs send the task as JSON in a query parameter named `body`, on a POST without a body.
  CreateOnlineEvalTask: op('CreateOnlineEvalTask', 'POST', TASKS, CreateEvalTaskResponse, 'none'),
  GetOnlineEvalTask: op('GetOnlineEvalTask', 'GET', TASK, GetEvalTaskResponse),
  ListOnlineEvalTasks: op('ListOnlineEvalTasks', 'GET', TASKS, ListEvalTasksResponse),
  UpdateOnlineEvalTask: op('UpdateOnlineEvalTask', 'PUT', TASK, AckResponse),
  StopOnlineEvalTask: op('StopOnlineEvalTask', 'PUT', `${TASK}/stop`, AckResponse, 'none'),
  DeleteOnlineEvalTask: op('DeleteOnlineEvalTask', 'DELETE', TASK, AckResponse),
} as const;

/** PaiLLMTrace's largest page. */
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

/** Upstream calls of the eval-task domain; `secrets` keeps the judge's API key out of errors. */
export function createEvalTasksApi(upstream: UpstreamSession) {
  return {
    list: (query: ListEvalTasksQuery) => upstream.call(EvalTaskOps.ListOnlineEvalTasks, { query }),
    get: (TaskId: string) => upstream.call(EvalTaskOps.GetOnlineEvalTask, { path: { TaskId } }),
    create: (task: Record<string, unknown>, secrets: string[]) => upstream.call(EvalTaskOps.CreateOnlineEvalTask, { query: { body: task }, secrets }),
    update: (TaskId: string, body: Record<string, unknown>, secrets: string[]) => upstream.call(EvalTaskOps.UpdateOnlineEvalTask, { path: { TaskId }, body, secrets }),
    stop: (TaskId: string) => upstream.call(EvalTaskOps.StopOnlineEvalTask, { path: { TaskId } }),
    delete: (TaskId: string) => upstream.call(EvalTaskOps.DeleteOnlineEvalTask, { path: { TaskId } }),
  };
}

export type EvalTasksApi = ReturnType<typeof createEvalTasksApi>;
