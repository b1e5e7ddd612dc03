import { connectionCost, ONE_CALL, type CostModel } from '../core/plugins/cost.js';
import type { UpstreamSession } from '../core/upstream/client.js';
import { createEvalTasksApi } from './eval-tasks.api.js';
import { createEvalTaskLoaders } from './eval-tasks.loaders.js';
import { createEvalTasksService } from './eval-tasks.service.js';

export { evalTaskResolvers } from './eval-tasks.resolvers.js';
export { EvalTaskOps } from './eval-tasks.api.js';
export { SECRET_FIELDS as EVAL_TASK_SECRET_FIELDS } from './eval-tasks.inputs.js';
export type { EvalTasksService } from './eval-tasks.service.js';
export { evalTaskArgumentChecks } from './eval-tasks.service.js';
export { taskId as evalTaskId } from './eval-tasks.inputs.js';
export { evalTaskFeeds, evalTaskSubscriptionResolvers } from './eval-tasks.subscriptions.js';

/** The eval-task domain for one request. */
export function createEvalTasksDomain(upstream: UpstreamSession) {
  const api = createEvalTasksApi(upstream);
  return createEvalTasksService(api, createEvalTaskLoaders(api, upstream.onCacheHit));
}

/** Upstream calls per field, for the cost estimate (see core/plugins/cost.ts). */
export const evalTaskCosts: CostModel = {
  // PaiLLMTrace pages hold at most 50 tasks.
  'Query.evalTasks': connectionCost(50),
  'Query.evalTask': ONE_CALL,
  // Both come from one GetOnlineEvalTask per listed task.
  'EvalTask.lastSamplingWindowStartTime': { calls: () => 1, shared: 'GetOnlineEvalTask' },
  'EvalTask.lastSamplingWindowEndTime': { calls: () => 1, shared: 'GetOnlineEvalTask' },
  // PaiLLMTrace pages hold at most 50 results; a task's results need no GetOnlineEvalTask.
  'EvalTask.results': connectionCost(50),
  'TraceEvaluation.results': connectionCost(50),
  // One call per operation, however many aliases select it (one loader key).
  'Query.evaluationTemplates': { calls: () => 1, shared: 'GetEvaluationTemplates' },
  ...Object.fromEntries(['createEvalTask', 'updateEvalTask', 'stopEvalTask', 'deleteEvalTask', 'evaluateTrace'].map((m) => [`Mutation.${m}`, ONE_CALL])),
  ...Object.fromEntries(['CreateEvalTaskPayload', 'UpdateEvalTaskPayload', 'StopEvalTaskPayload'].map((p) => [`${p}.evalTask`, ONE_CALL])),
};
