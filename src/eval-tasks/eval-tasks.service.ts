import type { ArgumentChecks } from '../core/plugins/argument-checks.js';
import { readWindow, toConnection, type Connection, type Edge } from '../core/pagination.js';
import { parseInput } from '../core/validation.js';
import type { EvalTasksApi } from './eval-tasks.api.js';
import type { EvalTaskDTO, EvaluationTemplateDTO } from './eval-tasks.dto.js';
import {
  CreateEvalTaskInput,
  EvalTaskFilterInput,
  EvalTaskOrderInput,
  EvaluateTraceInput,
  evaluationId,
  SECRET_FIELDS,
  TaskRefInput,
  taskId,
  TraceResultsFilterInput,
  UpdateEvalTaskInput,
} from './eval-tasks.inputs.js';
import type { EvalResultItem, EvalTaskLoaders } from './eval-tasks.loaders.js';

/** What an eval-task payload holds until its `evalTask` field is asked for. */
export type EvalTaskRef = { taskId: string };

/** A `TraceEvaluation`: its id is all it holds until its `results` are asked for. */
export type TraceEvaluationRef = { evaluationId: string };

/** A page of results; an item that did not parse is its error (see EvalResultItem). */
export type EvalResultPage = Connection<EvalResultItem>;
export type EvalResultPageEdge = Edge<EvalResultItem>;

interface WindowArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** `TraceEvaluation.results` arguments: the window wanted and the upstream filters. */
const traceResultsArgs = (args: WindowArgs & { traceIds?: unknown; keyword?: unknown }) => ({
  window: readWindow(args),
  filter: parseInput(TraceResultsFilterInput, { traceIds: args.traceIds, keyword: args.keyword }, ''),
});

/** Checks of nested fields' arguments, run before execution (see core/plugins/argument-checks.ts). */
export const evalTaskArgumentChecks: ArgumentChecks = {
  'EvalTask.results': (args) => readWindow(args),
  'TraceEvaluation.results': traceResultsArgs,
};

/** What resolvers of the eval-task domain call. */
export function createEvalTasksService(api: EvalTasksApi, loaders: EvalTaskLoaders) {
  const secrets = SECRET_FIELDS as readonly string[];
  return {
    // Async so a bad id rejects rather than throws (see models.service.ts).
    task: async (id: string): Promise<EvalTaskDTO | null> => loaders.taskById.load(parseInput(taskId, id, 'id')),

    async list(args: WindowArgs & { filter?: unknown; orderBy?: unknown }) {
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

    /** A task's results. The parent's id is all ListOnlineEvalTaskResults needs: no GetOnlineEvalTask. */
    async taskResults(taskId: string, args: WindowArgs): Promise<EvalResultPage> {
      const window = readWindow(args);
      return toConnection(window, await loaders.taskResults.load({ query: { EvaluationId: taskId }, window }));
    },

    // Async so a bad id rejects rather than throws; no upstream call until `results` is read.
    traceEvaluation: async (id: string): Promise<TraceEvaluationRef> => ({ evaluationId: parseInput(evaluationId, id, 'evaluationId') }),

    async traceResults(id: string, args: WindowArgs & { traceIds?: unknown; keyword?: unknown }): Promise<EvalResultPage> {
      const { window, filter } = traceResultsArgs(args);
      return toConnection(window, await loaders.evalResults.load({ query: { EvaluationId: id, ...filter }, window }));
    },

    templates: (): Promise<EvaluationTemplateDTO[]> => loaders.templates.load('all'),

    async evaluateTrace(input: unknown): Promise<TraceEvaluationRef> {
      const { traceId: TraceId, body, secrets: keys } = parseInput(EvaluateTraceInput, input, 'input', secrets);
      const { EvaluationId } = await api.evaluateTrace(TraceId, body, keys);
      loaders.clearAll();
      return { evaluationId: EvaluationId };
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
