import { z } from 'zod';
import { integer, list, llmTraceTime, requestId, text } from '../core/dto.js';

/**
 * zod schemas of PaiLLMTrace 2024-03-11 payloads (upstream-contract section 4).
 *
 * The judge model's `ApiKey` is echoed back by the service. It is parsed here only to learn
 * whether one is set and then dropped: no object after this layer holds it.
 */

const SpanExtractionDTO = z.object({ SpanName: text, JsonPathInSpan: text, JsonPathInSpanValue: text });

export const ModelConfigDTO = z
  .object({
    Name: text,
    Endpoint: text,
    ApiKey: text,
    IsSelfHost: z.boolean().nullish(),
    Temperature: z.number().nullish(),
    TopP: z.number().nullish(),
    UseFunctionCall: z.boolean().nullish(),
  })
  .transform(({ ApiKey, ...rest }) => ({ ...rest, HasApiKey: typeof ApiKey === 'string' && ApiKey.length > 0 }));

export const EvalTaskDTO = z.object({
  Id: z.string().min(1),
  Name: text,
  Description: text,
  AppName: text,
  Status: text,
  AliyunUid: text,
  UserId: text,
  GmtCreateTime: llmTraceTime,
  GmtStartTime: llmTraceTime,
  GmtEndTime: llmTraceTime,
  /** Only in GetOnlineEvalTask answers. */
  GmtLastSamplingWindowStartTime: llmTraceTime,
  GmtLastSamplingWindowEndTime: llmTraceTime,
  SamplingFrequencyMinutes: integer,
  SamplingRatio: integer,
  RecordCount: integer,
  Filters: list(z.object({ Key: z.string(), Operator: z.string(), Value: text })),
  EvaluationConfig: z.object({ Query: SpanExtractionDTO.nullish(), Answer: SpanExtractionDTO.nullish(), Context: SpanExtractionDTO.nullish() }).nullish(),
  ModelConfig: ModelConfigDTO.nullish(),
});
export type EvalTaskDTO = z.infer<typeof EvalTaskDTO>;
/** One of a task's filters as PAI sent it; the schema reads its key and operator (EvalTaskTraceFilter). */
export type EvalTaskFilterDTO = EvalTaskDTO['Filters'][number];

/** Code/Message appear in PaiLLMTrace success bodies only when the call failed. */
const envelope = { RequestId: requestId, Code: text, Message: text };

export const CreateEvalTaskResponse = z.object({ TaskId: z.string().min(1), ...envelope });
export const GetEvalTaskResponse = z.object({ Task: EvalTaskDTO, ...envelope });
export const ListEvalTasksResponse = z.object({ Tasks: list(EvalTaskDTO), TotalCount: z.number().int().nonnegative(), ...envelope });
export const AckResponse = z.object(envelope);

// ---- Evaluation results and templates (upstream-contract section 13)

/**
 * ListOnlineEvalTaskResults and ListEvalResults. Each item of `EvaluationResults` is a record
 * serialised as a JSON string (the SDK's `string[]`); items are parsed one by one with
 * readEvalRecord, so one bad record fails only itself, never the page.
 */
export const ListEvalResultsResponse = z.object({ EvaluationResults: list(z.unknown()), TotalCount: z.number().int().nonnegative(), ...envelope });
export type ListEvalResultsResponse = z.infer<typeof ListEvalResultsResponse>;

export const EvaluateTraceResponse = z.object({ EvaluationId: z.string().min(1), ...envelope });

/** A JSON string holding a value, read as that value; anything else is left for the schema to judge. */
const jsonText = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** One template set (SDK `any`: an object, or possibly a JSON string of one). */
const EvaluationTemplateDTO = z.preprocess(
  jsonText,
  z.object({
    eval_app_type: text,
    templates: list(z.object({ metric: text, template: text }).transform((t) => ({ metric: t.metric ?? null, template: t.template ?? null }))),
  }),
);
export type EvaluationTemplateDTO = z.infer<typeof EvaluationTemplateDTO>;

export const GetEvaluationTemplatesResponse = z.object({ EvaluationTemplates: list(EvaluationTemplateDTO), ...envelope });

/** A label is free, localised text (`correct`, `正确`, `true`); a bare boolean or number reads as its text. */
const labelText = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));

/** A score is a number; a numeric string reads as its number. */
const score = z
  .union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/).transform(Number)])
  .nullish()
  .transform((v) => v ?? null);

const MetricResultDTO = z.object({ name: text, label: labelText, score, reason: text });

/** The documented record: `{ result: { <metric>: { label, score, reason, name } }, eval_app_type }`. */
const EvalRecordDTO = z.object({ result: z.record(z.string(), MetricResultDTO).nullish(), eval_app_type: text });

/** One judge metric of a result record. `reason` is the judge's raw output: untrusted text, never interpreted. */
export interface EvalMetricRecord {
  metric: string;
  name: string | null;
  label: string | null;
  score: number | null;
  reason: string | null;
}

/** A parsed result record; `raw` is the record object as PAI sent it (it may carry keys not modelled here). */
export interface EvalRecord {
  evalAppType: string | null;
  metrics: EvalMetricRecord[];
  raw: Record<string, unknown>;
}

/**
 * Reads one item of `EvaluationResults`: a JSON string (or, tolerated, the value itself)
 * holding a record object or a one-element array of one. Returns the record, or what is wrong
 * with the item. Never throws, whatever the item holds.
 */
export function readEvalRecord(item: unknown): { ok: true; record: EvalRecord } | { ok: false; problem: string } {
  let value = item;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return { ok: false, problem: 'is not JSON' };
    }
  }
  if (Array.isArray(value)) {
    if (value.length !== 1) return { ok: false, problem: `is an array of ${value.length} records, not of one` };
    value = value[0];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'is not a JSON object' };
  const parsed = EvalRecordDTO.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `field ${issue.path.map(String).join('.') || '(root)'} ${issue.message}` };
  }
  const metrics = Object.entries(parsed.data.result ?? {}).map(([metric, m]) => ({ metric, name: m.name ?? null, label: m.label, score: m.score, reason: m.reason ?? null }));
  return { ok: true, record: { evalAppType: parsed.data.eval_app_type ?? null, metrics, raw: value as Record<string, unknown> } };
}
