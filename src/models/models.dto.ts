import { z } from 'zod';
import { integer, isoTime, jsonObject, list, requestId, text } from '../core/dto.js';

/**
 * zod schemas of AIWorkSpace 2021-02-04 payloads (upstream-contract section 1). Their inferred
 * types are the codegen mappers: resolvers receive these objects as parents.
 */

export const LabelDTO = z.object({ Key: z.string(), Value: text });
export type LabelDTO = z.infer<typeof LabelDTO>;

export const ModelVersionDTO = z.object({
  VersionName: z.string().min(1),
  VersionDescription: text,
  Uri: text,
  ApprovalStatus: text,
  FormatType: text,
  FrameworkType: text,
  SourceType: text,
  SourceId: text,
  InferenceSpec: jsonObject,
  TrainingSpec: jsonObject,
  EvaluationSpec: jsonObject,
  CompressionSpec: jsonObject,
  DistillationSpec: jsonObject,
  Metrics: jsonObject,
  ExtraInfo: jsonObject,
  Options: text,
  Labels: list(LabelDTO),
  OwnerId: text,
  UserId: text,
  GmtCreateTime: isoTime,
  GmtModifiedTime: isoTime,
});
export type ModelVersionDTO = z.infer<typeof ModelVersionDTO>;

/** A version together with the id of its model (the upstream object does not carry it). */
export type ModelVersionRecord = ModelVersionDTO & { readonly ModelId: string };

export const ModelDTO = z.object({
  ModelId: z.string().min(1),
  ModelName: z.string(),
  ModelDescription: text,
  ModelDoc: text,
  ModelType: text,
  Domain: text,
  Task: text,
  Origin: text,
  Provider: text,
  Accessibility: text,
  WorkspaceId: text,
  OwnerId: text,
  UserId: text,
  OrderNumber: integer,
  ParameterSize: integer,
  ExtraInfo: jsonObject,
  GmtCreateTime: isoTime,
  GmtModifiedTime: isoTime,
  GmtLatestVersionModifiedTime: isoTime,
  LatestVersion: ModelVersionDTO.nullish(),
  Labels: list(LabelDTO),
  Tags: list(LabelDTO),
});
export type ModelDTO = z.infer<typeof ModelDTO>;

export const GetModelResponse = ModelDTO.extend({ RequestId: requestId });
export const ListModelsResponse = z.object({
  Models: list(ModelDTO),
  TotalCount: z.number().int().nonnegative(),
  RequestId: requestId,
});
export const CreateModelResponse = z.object({ ModelId: z.string().min(1), RequestId: requestId });
export const GetModelVersionResponse = ModelVersionDTO.extend({ RequestId: requestId });
export const ListModelVersionsResponse = z.object({
  Versions: list(ModelVersionDTO),
  TotalCount: z.number().int().nonnegative(),
  RequestId: requestId,
});
export const CreateModelVersionResponse = z.object({ VersionName: z.string().min(1), RequestId: requestId });
export const AckResponse = z.object({ RequestId: requestId });
