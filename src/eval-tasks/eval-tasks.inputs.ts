import { z } from 'zod';
import { toLlmTraceTime } from '../core/time.js';
import { compact, idOf, oneOf, opt } from '../core/validation.js';
import { EvalTaskFilterKey, EvalTaskFilterOperator, EvalTaskOrderField, EvalTaskSamplingMethod, EvalTaskStatus } from './eval-tasks.enums.js';

/**
 * Validation of GraphQL input for evaluation tasks and its translation to PaiLLMTrace's
 * fields. Times become `YYYY-MM-DD HH:mm:ss` UTC. The judge's API key is a secret: it is never
 * echoed in a validation error (see SECRET_FIELDS) and is handed to the api as a secret.
 */

/** Input fields whose values never appear in an error message. */
export const SECRET_FIELDS = ['apiKey'] as const;

export const taskId = idOf('evaluation task');

/** The judge's highest sampling temperature (PaiLLMTrace ModelConfig `Temperature`, "Maximum value: 0.2"). */
export const MAX_JUDGE_TEMPERATURE = 0.2;

const time = z.date({ error: 'must be an ISO 8601 time' });

const taskName = z
  .string()
  .refine((s) => s.trim().length > 0, 'must not be empty or blank')
  .refine((s) => [...s].length <= 128, 'must be 1 to 128 characters');

const SpanExtraction = z
  .object({ spanName: z.string().min(1, 'must not be empty'), jsonPathInSpan: z.string().min(1, 'must not be empty'), jsonPathInSpanValue: opt(z.string()) })
  .transform((s) => compact({ SpanName: s.spanName, JsonPathInSpan: s.jsonPathInSpan, JsonPathInSpanValue: s.jsonPathInSpanValue }));

const ModelConfig = z
  .object({
    name: opt(z.string().min(1, 'must not be empty')),
    endpoint: opt(z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')),
    apiKey: opt(z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters').regex(/^\S+$/, 'must not contain whitespace')),
    isSelfHost: opt(z.boolean()),
    // PaiLLMTrace documents the judge's Temperature with "Maximum value: 0.2" (upstream-contract
    // 13.4, from Alibaba's API metadata; the only bound any source gives). It is one ModelConfig
    // for tasks and single-trace evaluations alike, so every input holds to it.
    temperature: opt(z.number().min(0, `must be between 0 and ${MAX_JUDGE_TEMPERATURE}`).max(MAX_JUDGE_TEMPERATURE, `must be between 0 and ${MAX_JUDGE_TEMPERATURE}`)),
    topP: opt(z.number().gt(0, 'must be greater than 0 and at most 1').max(1, 'must be greater than 0 and at most 1')),
    useFunctionCall: opt(z.boolean()),
  })
  .transform((m) => compact({ Name: m.name, Endpoint: m.endpoint, ApiKey: m.apiKey, IsSelfHost: m.isSelfHost, Temperature: m.temperature, TopP: m.topP, UseFunctionCall: m.useFunctionCall }));

const EvaluationConfig = z.object({ query: opt(SpanExtraction), answer: opt(SpanExtraction), context: opt(SpanExtraction) });
const toEvaluationConfig = (c: z.output<typeof EvaluationConfig>) => compact({ Query: c.query, Answer: c.answer, Context: c.context });

const taskFields = {
  description: opt(z.string().max(1024, 'must be at most 1024 characters')),
  startTime: opt(time),
  endTime: opt(time),
  samplingFrequencyMinutes: opt(z.number().int().min(1, 'must be between 1 and 1440').max(1440, 'must be between 1 and 1440')),
  samplingRatio: opt(z.number().int().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100')),
  filters: opt(
    z.array(
      z.object({
        key: oneOf(EvalTaskFilterKey, 'EvalTaskFilterKey'),
        operator: oneOf(EvalTaskFilterOperator, 'EvalTaskFilterOperator'),
        value: z.string(),
      }),
    ),
  ),
  evaluationConfig: opt(EvaluationConfig),
  modelConfig: opt(ModelConfig),
};

type TaskFields = z.output<z.ZodObject<typeof taskFields>> & { name?: string | undefined; appName?: string | undefined };

const windowInOrder = (v: { startTime?: Date | undefined; endTime?: Date | undefined }, ctx: z.RefinementCtx) => {
  if (v.startTime && v.endTime && v.endTime < v.startTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'must not be before startTime' });
};

/** The task as PaiLLMTrace fields, plus the secrets it carries. */
function toUpstream(v: TaskFields) {
  const task = compact({
    TaskName: v.name,
    Description: v.description,
    AppName: v.appName,
    StartTime: v.startTime && toLlmTraceTime(v.startTime),
    EndTime: v.endTime && toLlmTraceTime(v.endTime),
    SamplingFrequencyMinutes: v.samplingFrequencyMinutes,
    SamplingRatio: v.samplingRatio,
    Filters: v.filters?.map((f) => ({ Key: f.key, Operator: f.operator, Value: f.value })),
    EvaluationConfig: v.evaluationConfig && toEvaluationConfig(v.evaluationConfig),
    ModelConfig: v.modelConfig,
  });
  return { task, secrets: v.modelConfig?.ApiKey ? [v.modelConfig.ApiKey] : [] };
}

export const CreateEvalTaskInput = z
  .object({ name: taskName, appName: z.string().min(1, 'must not be empty'), ...taskFields })
  .superRefine(windowInOrder)
  .transform(toUpstream);

export const UpdateEvalTaskInput = z
  .object({ id: taskId, name: opt(taskName), appName: opt(z.string().min(1, 'must not be empty')), ...taskFields })
  .superRefine(windowInOrder)
  .transform(({ id, ...v }) => ({ id, ...toUpstream(v) }));

export const TaskRefInput = z.object({ id: taskId });

export const EvalTaskFilterInput = z
  .object({
    appName: opt(z.string()),
    keyword: opt(z.string()),
    status: opt(oneOf(EvalTaskStatus, 'EvalTaskStatus')),
    samplingMethod: opt(oneOf(EvalTaskSamplingMethod, 'EvalTaskSamplingMethod')),
    minTime: opt(time),
    maxTime: opt(time),
  })
  .nullish()
  .superRefine((f, ctx) => {
    if (f?.minTime && f.maxTime && f.maxTime < f.minTime) ctx.addIssue({ code: 'custom', path: ['maxTime'], message: 'must not be before minTime' });
  })
  .transform((f) =>
    compact({
      AppName: f?.appName,
      Keyword: f?.keyword,
      Status: f?.status,
      SamplingMethod: f?.samplingMethod,
      MinTime: f?.minTime && toLlmTraceTime(f.minTime),
      MaxTime: f?.maxTime && toLlmTraceTime(f.maxTime),
    }),
  );

export const EvalTaskOrderInput = z
  .object({ field: oneOf(EvalTaskOrderField, 'EvalTaskOrderField'), direction: z.enum(['ASC', 'DESC']) })
  .nullish()
  .transform((o) => (o ? { SortBy: o.field, SortOrder: o.direction } : {}));

// ---- Evaluation results and single-trace evaluation (upstream-contract section 13)

/**
 * An evaluation id (EvaluateTrace and ListEvalResults `EvaluationId`). It travels in the query
 * or the body, not in a path, but is held to the same rules as an id in a path all the same.
 */
export const evaluationId = idOf('evaluation');

/**
 * A trace id: a URL path segment of EvaluateTrace, and one item of the comma-joined
 * `RecordIds` list of ListEvalResults, so it cannot hold a comma either.
 */
export const traceId = idOf('trace').pipe(z.string().refine((s) => !s.includes(','), 'must not contain ","'));

/** Longest `keyword` of a results search. */
export const MAX_RESULTS_KEYWORD = 256;

/** `TraceEvaluation.results` filters (the window is read by readWindow). */
export const TraceResultsFilterInput = z
  .object({
    traceIds: opt(z.array(traceId)),
    keyword: opt(z.string().max(MAX_RESULTS_KEYWORD, `must be at most ${MAX_RESULTS_KEYWORD} characters`)),
  })
  .transform((f) => compact({ RecordIds: f.traceIds?.length ? f.traceIds : undefined, Keyword: f.keyword?.trim() ? f.keyword : undefined }));

export const EvaluateTraceInput = z
  .object({
    traceId,
    appName: opt(z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters')),
    minTime: opt(time),
    maxTime: opt(time),
    evaluationId: opt(evaluationId),
    evaluationConfig: EvaluationConfig.refine((c) => c.query || c.answer || c.context, 'must set at least one of query, answer and context'),
    modelConfig: opt(ModelConfig),
  })
  .superRefine((v, ctx) => {
    if (v.minTime && v.maxTime && v.maxTime < v.minTime) ctx.addIssue({ code: 'custom', path: ['maxTime'], message: 'must not be before minTime' });
  })
  .transform((v) => ({
    traceId: v.traceId,
    // Exactly the SDK's EvaluateTraceRequest keys; times as PaiLLMTrace's `YYYY-MM-DD HH:mm:ss` UTC.
    body: compact({
      AppName: v.appName,
      EvaluationConfig: toEvaluationConfig(v.evaluationConfig),
      EvaluationId: v.evaluationId,
      MaxTime: v.maxTime && toLlmTraceTime(v.maxTime),
      MinTime: v.minTime && toLlmTraceTime(v.minTime),
      ModelConfig: v.modelConfig,
    }),
    secrets: v.modelConfig?.ApiKey ? [v.modelConfig.ApiKey] : [],
  }));
