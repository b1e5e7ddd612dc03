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
