import type { UpstreamSession } from '../core/upstream/client.js';
import { createEvalTasksApi } from './eval-tasks.api.js';
import { createEvalTaskLoaders } from './eval-tasks.loaders.js';
import { createEvalTasksService } from './eval-tasks.service.js';

export { evalTaskResolvers } from './eval-tasks.resolvers.js';
export { EvalTaskOps } from './eval-tasks.api.js';
export { SECRET_FIELDS as EVAL_TASK_SECRET_FIELDS } from './eval-tasks.inputs.js';
export type { EvalTasksService } from './eval-tasks.service.js';

/** The eval-task domain for one request. */
export function createEvalTasksDomain(upstream: UpstreamSession) {
  const api = createEvalTasksApi(upstream);
  return createEvalTasksService(api, createEvalTaskLoaders(api));
}
