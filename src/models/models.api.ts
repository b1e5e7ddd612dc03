import type { ZodType } from 'zod';
import type { UpstreamSession } from '../core/upstream/client.js';
import { defineOperation } from '../core/upstream/operation.js';
import {
  AckResponse,
  CreateModelResponse,
  CreateModelVersionResponse,
  GetModelResponse,
  GetModelVersionResponse,
  ListModelVersionsResponse,
  ListModelsResponse,
  type LabelDTO,
} from './models.dto.js';

/** Fields the SDK types as `map<string, any>`: their keys are sent in the caller's order. */
const FREE_FORM = ['ExtraInfo', 'InferenceSpec', 'TrainingSpec', 'EvaluationSpec', 'CompressionSpec', 'DistillationSpec', 'Metrics'];

/** AIWorkSpace 2021-02-04 model registry operations, as the official SDK sends them. */
const op = <R>(action: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, response: ZodType<R>) =>
  defineOperation({ product: 'AIWorkSpace', action, method, path, response, opaque: FREE_FORM });

const MODELS = '/api/v1/models';
const MODEL = `${MODELS}/{ModelId}`;
const VERSIONS = `${MODEL}/versions`;
const VERSION = `${VERSIONS}/{VersionName}`;

export const ModelOps = {
  CreateModel: op('CreateModel', 'POST', MODELS, CreateModelResponse),
  DeleteModel: op('DeleteModel', 'DELETE', MODEL, AckResponse),
  UpdateModel: op('UpdateModel', 'PUT', MODEL, AckResponse),
  GetModel: op('GetModel', 'GET', MODEL, GetModelResponse),
  ListModels: op('ListModels', 'GET', MODELS, ListModelsResponse),
  CreateModelVersion: op('CreateModelVersion', 'POST', VERSIONS, CreateModelVersionResponse),
  DeleteModelVersion: op('DeleteModelVersion', 'DELETE', VERSION, AckResponse),
  UpdateModelVersion: op('UpdateModelVersion', 'PUT', VERSION, AckResponse),
  GetModelVersion: op('GetModelVersion', 'GET', VERSION, GetModelVersionResponse),
  ListModelVersions: op('ListModelVersions', 'GET', VERSIONS, ListModelVersionsResponse),
  CreateModelLabels: op('CreateModelLabels', 'POST', `${MODEL}/labels`, AckResponse),
  DeleteModelLabels: op('DeleteModelLabels', 'DELETE', `${MODEL}/labels`, AckResponse),
  CreateModelVersionLabels: op('CreateModelVersionLabels', 'POST', `${VERSION}/labels`, AckResponse),
  DeleteModelVersionLabels: op('DeleteModelVersionLabels', 'DELETE', `${VERSION}/labels`, AckResponse),
} as const;

export interface PageQuery {
  PageNumber: number;
  PageSize: number;
}

export type ListModelsQuery = PageQuery & {
  WorkspaceId?: string | undefined;
  ModelName?: string | undefined;
  Domain?: string | undefined;
  Task?: string | undefined;
  ModelType?: string | undefined;
  Origin?: string | undefined;
  Label?: string | undefined;
  Query?: string | undefined;
  Provider?: string | undefined;
  Collections?: string | undefined;
  Tag?: LabelDTO[] | undefined;
  Conditions?: { Column: string; Operator: string; Value: string }[] | undefined;
  SortBy?: 'GmtCreateTime' | undefined;
  Order?: 'ASC' | 'DESC' | undefined;
};

export type ListModelVersionsQuery = PageQuery & {
  VersionName?: string | undefined;
  FormatType?: string | undefined;
  FrameworkType?: string | undefined;
  ApprovalStatus?: string | undefined;
  SourceType?: string | undefined;
  SourceId?: string | undefined;
  Label?: string | undefined;
  SortBy?: 'GmtCreateTime' | undefined;
  Order?: 'ASC' | 'DESC' | undefined;
};

/** Upstream calls of the model domain; every function is one upstream call. */
export function createModelsApi(upstream: UpstreamSession) {
  return {
    listModels: (query: ListModelsQuery) => upstream.call(ModelOps.ListModels, { query }),
    getModel: (ModelId: string) => upstream.call(ModelOps.GetModel, { path: { ModelId } }),
    createModel: (body: Record<string, unknown>) => upstream.call(ModelOps.CreateModel, { body }),
    updateModel: (ModelId: string, body: Record<string, unknown>) => upstream.call(ModelOps.UpdateModel, { path: { ModelId }, body }),
    deleteModel: (ModelId: string) => upstream.call(ModelOps.DeleteModel, { path: { ModelId } }),
    listModelVersions: (ModelId: string, query: ListModelVersionsQuery) => upstream.call(ModelOps.ListModelVersions, { path: { ModelId }, query }),
    getModelVersion: (ModelId: string, VersionName: string) => upstream.call(ModelOps.GetModelVersion, { path: { ModelId, VersionName } }),
    createModelVersion: (ModelId: string, body: Record<string, unknown>) => upstream.call(ModelOps.CreateModelVersion, { path: { ModelId }, body }),
    updateModelVersion: (ModelId: string, VersionName: string, body: Record<string, unknown>) =>
      upstream.call(ModelOps.UpdateModelVersion, { path: { ModelId, VersionName }, body }),
    deleteModelVersion: (ModelId: string, VersionName: string) => upstream.call(ModelOps.DeleteModelVersion, { path: { ModelId, VersionName } }),
    createModelLabels: (ModelId: string, Labels: LabelDTO[]) => upstream.call(ModelOps.CreateModelLabels, { path: { ModelId }, body: { Labels } }),
    deleteModelLabels: (ModelId: string, keys: string[]) => upstream.call(ModelOps.DeleteModelLabels, { path: { ModelId }, query: { LabelKeys: keys.join(',') } }),
    createModelVersionLabels: (ModelId: string, VersionName: string, Labels: LabelDTO[]) =>
      upstream.call(ModelOps.CreateModelVersionLabels, { path: { ModelId, VersionName }, body: { Labels } }),
    deleteModelVersionLabels: (ModelId: string, VersionName: string, keys: string[]) =>
      upstream.call(ModelOps.DeleteModelVersionLabels, { path: { ModelId, VersionName }, query: { LabelKeys: keys.join(',') } }),
  };
}

export type ModelsApi = ReturnType<typeof createModelsApi>;
