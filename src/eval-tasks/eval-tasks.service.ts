import { readWindow, toConnection } from '../core/pagination.js';
import { parseInput } from '../core/validation.js';
import type { EvalTasksApi } from './eval-tasks.api.js';
import type { EvalTaskDTO } from './eval-tasks.dto.js';
import { CreateEvalTaskInput, EvalTaskFilterInput, EvalTaskOrderInput, SECRET_FIELDS, TaskRefInput, taskId, UpdateEvalTaskInput } from './eval-tasks.inputs.js';
import type { EvalTaskLoaders } from './eval-tasks.loaders.js';

/** What an eval-task payload holds until its `evalTask` field is asked for. */
export type EvalTaskRef = { taskId: string };

/** What resolvers of the eval-task domain call. */
export function createEvalTasksService(api: EvalTasksApi, loaders: EvalTaskLoaders) {
  const secrets = SECRET_FIELDS as readonly string[];
  return {
    // Async so a bad id rejects rather than throws (see models.service.ts).
    task: async (id: string): Promise<EvalTaskDTO | null> => loaders.taskById.load(parseInput(taskId, id, 'id')),

    async list(args: { first?: number | null; after?: string | null; filter?: unknown; orderBy?: unknown }) {
      const window = readWindow(args);
      const query = { ...parseInput(EvalTaskFilterInput, args.filter, 'filter'), ...parseInput(EvalTaskOrderInput, args.orderBy, 'orderBy') };
      return toConnection(window, await loaders.taskList.load({ query, window }));
    },

    /** A field only GetOnlineEvalTask has: from the parent when it came from Get, else one deduplicated Get. */
    async detailField<K extends 'GmtLastSamplingWindowStartTime' | 'GmtLastSamplingWindowEndTime'>(t: EvalTaskDTO, field: K): Promise<EvalTaskDTO[K] | null> {
      const detail = await loaders.taskDetail.load(t.Id);
      return (detail ?? t)[field] ?? null;
    },

    async createEvalTask(input: unknown): Promise<EvalTaskRef> {
      const { task, secrets: keys } = parseInput(CreateEvalTaskInput, input, 'input', secrets);
      const { TaskId } = await api.create(task, keys);
      loaders.clearAll();
      return { taskId: TaskId };
    },

    async updateEvalTask(input: unknown): Promise<EvalTaskRef> {
      const { id, task, secrets: keys } = parseInput(UpdateEvalTaskInput, input, 'input', secrets);
      await api.update(id, task, keys);
      loaders.clearAll();
      return { taskId: id };
    },

    async stopEvalTask(input: unknown): Promise<EvalTaskRef> {
      const { id } = parseInput(TaskRefInput, input, 'input');
      await api.stop(id);
      loaders.clearAll();
      return { taskId: id };
    },

    async deleteEvalTask(input: unknown) {
      const { id } = parseInput(TaskRefInput, input, 'input');
      await api.delete(id);
      loaders.clearAll();
      return { deletedId: id };
    },
  };
}

export type EvalTasksService = ReturnType<typeof createEvalTasksService>;
