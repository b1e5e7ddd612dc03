import { z } from 'zod';
import { isoTime, jsonObject, list, requestId, text } from '../core/dto.js';

/**
 * zod schemas of PaiStudio 2022-01-12 payloads (upstream-contract section 2). The inferred
 * types are the codegen mappers.
 */

const flag = z.boolean().nullish();

export const LocationDTO = z.object({ LocationType: text, LocationValue: jsonObject });

export const HyperParameterRangeDTO = z.object({
  Enum: z.array(z.string()).nullish(),
  Minimum: text,
  Maximum: text,
  ExclusiveMinimum: flag,
  ExclusiveMaximum: flag,
  MinLength: z.number().int().nullish(),
  MaxLength: z.number().int().nullish(),
  Pattern: text,
});

export const HyperParameterDTO = z.object({
  Name: z.string(),
  Type: z.string(),
  DefaultValue: text,
  DisplayName: text,
  Description: text,
  Required: flag,
  Range: HyperParameterRangeDTO.nullish(),
});

export const ChannelDTO = z.object({
  Name: z.string(),
  Description: text,
  Required: flag,
  SupportedChannelTypes: list(z.string()),
  Properties: jsonObject,
});

export const MetricDefinitionDTO = z.object({ Name: z.string(), Regex: z.string(), Description: text });
const ProgressDefinitionDTO = z.object({ Description: text, Regex: text });
export const ConditionExpressionDTO = z.object({ Key: z.string(), Operator: z.string(), Values: list(z.string()) });

export const AlgorithmSpecDTO = z.object({
  Image: z.string(),
  Command: z.array(z.string()),
  JobType: z.string(),
  CodeDir: LocationDTO.nullish(),
  HyperParameters: list(HyperParameterDTO),
  InputChannels: list(ChannelDTO),
  OutputChannels: list(ChannelDTO),
  MetricDefinitions: list(MetricDefinitionDTO),
  ProgressDefinitions: z.object({ OverallProgress: ProgressDefinitionDTO.nullish(), RemainingTime: ProgressDefinitionDTO.nullish() }).nullish(),
  ResourceRequirements: list(ConditionExpressionDTO),
  SupportedInstanceTypes: list(z.string()),
  SupportsDistributedTraining: flag,
  ComputeResource: z.object({ Policy: z.object({ Value: z.string(), Version: z.string() }).nullish() }).nullish(),
  Customization: z.object({ CodeDir: flag }).nullish(),
});
export type AlgorithmSpecDTO = z.infer<typeof AlgorithmSpecDTO>;

export const AlgorithmDTO = z.object({
  AlgorithmId: z.string().min(1),
  AlgorithmName: z.string(),
  AlgorithmProvider: text,
  AlgorithmDescription: text,
  DisplayName: text,
  GmtCreateTime: isoTime,
  GmtModifiedTime: isoTime,
  UserId: text,
  WorkspaceId: text,
  /** Only in GetAlgorithm answers. */
  TenantId: text,
});
export type AlgorithmDTO = z.infer<typeof AlgorithmDTO>;

export const AlgorithmVersionDTO = z.object({
  AlgorithmId: z.string().min(1),
  AlgorithmName: text,
  AlgorithmProvider: text,
  AlgorithmVersion: z.string().min(1),
  GmtCreateTime: isoTime,
  GmtModifiedTime: isoTime,
  TenantId: text,
  UserId: text,
  /** Only in GetAlgorithmVersion answers; list items have none. */
  AlgorithmSpec: AlgorithmSpecDTO.nullish(),
});
export type AlgorithmVersionDTO = z.infer<typeof AlgorithmVersionDTO>;

export const ListAlgorithmsResponse = z.object({ Algorithms: list(AlgorithmDTO), TotalCount: z.number().int().nonnegative(), RequestId: requestId });
export const GetAlgorithmResponse = AlgorithmDTO.extend({ RequestId: requestId });
export const CreateAlgorithmResponse = z.object({ AlgorithmId: z.string().min(1), RequestId: requestId });
export const UpdateAlgorithmResponse = z.object({ AlgorithmId: text, RequestId: requestId });
/** DeleteAlgorithm answers with a lower-case `requestId` (SDK model). */
export const DeleteAlgorithmResponse = z.object({ requestId: z.string().optional(), RequestId: requestId });
export const ListAlgorithmVersionsResponse = z.object({ AlgorithmVersions: list(AlgorithmVersionDTO), TotalCount: z.number().int().nonnegative(), RequestId: requestId });
export const GetAlgorithmVersionResponse = AlgorithmVersionDTO.extend({ RequestId: requestId });
/** Create/UpdateAlgorithmVersion model no RequestId. */
export const AlgorithmVersionAck = z.object({ AlgorithmId: text, AlgorithmVersion: text, RequestId: requestId });
export const AckResponse = z.object({ RequestId: requestId });
