import type { Resolvers } from '../__generated__/resolvers-types.js';
import { EvalAppType, evalAppTypeSpelling, EvalTaskFilterKey, EvalTaskFilterOperator, EvalTaskOrderField, EvalTaskSamplingMethod, EvalTaskStatus } from './eval-tasks.enums.js';

const span = (s: { SpanName?: string | null; JsonPathInSpan?: string | null; JsonPathInSpanValue?: string | null } | null | undefined) =>
  s ? { spanName: s.SpanName ?? null, jsonPathInSpan: s.JsonPathInSpan ?? null, jsonPathInSpanValue: s.JsonPathInSpanValue ?? null } : null;

export const evalTaskResolvers: Resolvers = {
  Query: {
    evalTasks: (_p, args, { evalTasks }) => evalTasks.list(args),
    evalTask: (_p, { id }, { evalTasks }) => evalTasks.task(id),
    evaluationTemplates: (_p, _a, { evalTasks }) => evalTasks.templates(),
    traceEvaluation: (_p, { evaluationId }, { evalTasks }) => evalTasks.traceEvaluation(evaluationId),
  },

  Mutation: {
    createEvalTask: (_p, { input }, { evalTasks }) => evalTasks.createEvalTask(input),
    updateEvalTask: (_p, { input }, { evalTasks }) => evalTasks.updateEvalTask(input),
    stopEvalTask: (_p, { input }, { evalTasks }) => evalTasks.stopEvalTask(input),
    deleteEvalTask: (_p, { input }, { evalTasks }) => evalTasks.deleteEvalTask(input),
    evaluateTrace: (_p, { input }, { evalTasks }) => evalTasks.evaluateTrace(input),
  },

  EvalTask: {
    __resolveReference: (ref, { evalTasks }) => evalTasks.task(ref.id),
    id: (t) => t.Id,
    name: (t) => t.Name ?? null,
    description: (t) => t.Description ?? null,
    appName: (t) => t.AppName ?? null,
    status: (t, _a, { enums }) => enums.read('EvalTaskStatus', EvalTaskStatus, t.Status),
    statusRaw: (t) => t.Status ?? null,
    createdAt: (t) => t.GmtCreateTime,
    startTime: (t) => t.GmtStartTime,
    endTime: (t) => t.GmtEndTime,
    lastSamplingWindowStartTime: (t, _a, { evalTasks }) => evalTasks.detailField(t, 'GmtLastSamplingWindowStartTime'),
    lastSamplingWindowEndTime: (t, _a, { evalTasks }) => evalTasks.detailField(t, 'GmtLastSamplingWindowEndTime'),
    samplingFrequencyMinutes: (t) => t.SamplingFrequencyMinutes ?? null,
    samplingRatio: (t) => t.SamplingRatio ?? null,
    recordCount: (t) => t.RecordCount ?? null,
    filters: (t) => t.Filters,
    evaluationConfig: (t) => (t.EvaluationConfig ? { query: span(t.EvaluationConfig.Query), answer: span(t.EvaluationConfig.Answer), context: span(t.EvaluationConfig.Context) } : null),
    modelConfig: (t) =>
      t.ModelConfig
        ? {
            name: t.ModelConfig.Name ?? null,
            endpoint: t.ModelConfig.Endpoint ?? null,
            isSelfHost: t.ModelConfig.IsSelfHost ?? null,
            temperature: t.ModelConfig.Temperature ?? null,
            topP: t.ModelConfig.TopP ?? null,
            useFunctionCall: t.ModelConfig.UseFunctionCall ?? null,
            hasApiKey: t.ModelConfig.HasApiKey,
          }
        : null,
    aliyunUid: (t) => t.AliyunUid ?? null,
    userId: (t) => t.UserId ?? null,
    results: (t, args, { evalTasks }) => evalTasks.taskResults(t.Id, args),
  },

  TraceEvaluation: {
    results: (e, args, { evalTasks }) => evalTasks.traceResults(e.evaluationId, args),
  },

  // A record's reasons and labels are the judge's free text: passed through as strings.
  EvalResult: {
    evalAppType: (r, _a, { enums }) => enums.read('EvalAppType', EvalAppType, evalAppTypeSpelling(r.evalAppType)),
    evalAppTypeRaw: (r) => r.evalAppType,
  },

  EvaluationTemplate: {
    evalAppType: (t, _a, { enums }) => enums.read('EvalAppType', EvalAppType, evalAppTypeSpelling(t.eval_app_type)),
    evalAppTypeRaw: (t) => t.eval_app_type ?? null,
  },

  // A filter PAI sent with a key or operator this schema does not know is still listed, with
  // its raw spelling, so a task's conditions never silently lose one.
  EvalTaskTraceFilter: {
    key: (f, _a, { enums }) => enums.read('EvalTaskFilterKey', EvalTaskFilterKey, f.Key),
    keyRaw: (f) => f.Key,
    operator: (f, _a, { enums }) => enums.read('EvalTaskFilterOperator', EvalTaskFilterOperator, f.Operator),
    operatorRaw: (f) => f.Operator,
    value: (f) => f.Value ?? null,
  },

  CreateEvalTaskPayload: { evalTask: ({ taskId }, _a, { evalTasks }) => evalTasks.task(taskId) },
  UpdateEvalTaskPayload: { evalTask: ({ taskId }, _a, { evalTasks }) => evalTasks.task(taskId) },
  StopEvalTaskPayload: { evalTask: ({ taskId }, _a, { evalTasks }) => evalTasks.task(taskId) },

  EvalTaskStatus,
  EvalTaskFilterKey,
  EvalTaskFilterOperator,
  EvalTaskSamplingMethod,
  EvalTaskOrderField,
  EvalAppType,
};
