import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Accessibility } from '../core/enums.js';
import { selectedArguments } from '../core/selection.js';
import {
  ModelApprovalStatus,
  ModelFormatType,
  ModelFrameworkType,
  ModelOrderField,
  ModelSourceType,
  ModelVersionOrderField,
} from './models.enums.js';
import { ownedBy, versionKey } from './models.loaders.js';

/** PAI sends `Options` as a JSON string; clients get the parsed value (or the raw text if it is not JSON). */
const parseOptions = (options: string | null | undefined): unknown => {
  if (!options) return null;
  try {
    return JSON.parse(options) as unknown;
  } catch {
    return options;
  }
};

export const modelResolvers: Resolvers = {
  Query: {
    models: (_p, args, { models }) => models.list(args),
    model: (_p, { id }, { models }, info) => models.modelWithVersions(id, selectedArguments(info, 'versions')),
  },

  Mutation: {
    createModel: (_p, { input }, { models }) => models.createModel(input),
    updateModel: (_p, { input }, { models }) => models.updateModel(input),
    deleteModel: (_p, { input }, { models }) => models.deleteModel(input),
    createModelVersion: (_p, { input }, { models }) => models.createModelVersion(input),
    updateModelVersion: (_p, { input }, { models }) => models.updateModelVersion(input),
    deleteModelVersion: (_p, { input }, { models }) => models.deleteModelVersion(input),
    addModelLabels: (_p, { input }, { models }) => models.addModelLabels(input),
    removeModelLabels: (_p, { input }, { models }) => models.removeModelLabels(input),
    addModelVersionLabels: (_p, { input }, { models }) => models.addModelVersionLabels(input),
    removeModelVersionLabels: (_p, { input }, { models }) => models.removeModelVersionLabels(input),
  },

  Model: {
    // Federation: other subgraphs reference models by id; the loaders batch and deduplicate.
    __resolveReference: (ref, { models }) => models.model(ref.id),
    id: (m) => m.ModelId,
    name: (m) => m.ModelName,
    description: (m) => m.ModelDescription ?? null,
    doc: (m) => m.ModelDoc ?? null,
    domain: (m) => m.Domain ?? null,
    task: (m) => m.Task ?? null,
    origin: (m) => m.Origin ?? null,
    provider: (m) => m.Provider || null,
    accessibility: (m, _a, { enums }) => enums.read('Accessibility', Accessibility, m.Accessibility),
    accessibilityRaw: (m) => m.Accessibility ?? null,
    modelType: (m) => m.ModelType ?? null,
    parameterSize: (m) => m.ParameterSize ?? null,
    orderNumber: (m) => m.OrderNumber ?? null,
    workspaceId: (m) => m.WorkspaceId ?? null,
    ownerId: (m) => m.OwnerId ?? null,
    userId: (m) => m.UserId ?? null,
    extraInfo: (m) => m.ExtraInfo ?? null,
    labels: (m) => m.Labels,
    tags: (m) => m.Tags,
    latestVersion: (m) => (m.LatestVersion ? ownedBy(m.LatestVersion, m.ModelId) : null),
    versions: (m, args, { models }) => models.versions(m.ModelId, args),
    version: (m, { name }, { models }) => models.version(m.ModelId, name),
    createdAt: (m) => m.GmtCreateTime ?? null,
    modifiedAt: (m) => m.GmtModifiedTime ?? null,
    latestVersionModifiedAt: (m) => m.GmtLatestVersionModifiedTime ?? null,
  },

  ModelVersion: {
    __resolveReference: (ref, { models }) => models.version(ref.model?.id ?? '', ref.name),
    id: (v) => versionKey(v.ModelId, v.VersionName),
    name: (v) => v.VersionName,
    model: (v, _a, { models }) => models.model(v.ModelId),
    uri: (v) => v.Uri ?? null,
    description: (v) => v.VersionDescription ?? null,
    formatType: (v, _a, { enums }) => enums.read('ModelFormatType', ModelFormatType, v.FormatType),
    formatTypeRaw: (v) => v.FormatType ?? null,
    frameworkType: (v, _a, { enums }) => enums.read('ModelFrameworkType', ModelFrameworkType, v.FrameworkType),
    frameworkTypeRaw: (v) => v.FrameworkType ?? null,
    approvalStatus: (v, _a, { enums }) => enums.read('ModelApprovalStatus', ModelApprovalStatus, v.ApprovalStatus),
    approvalStatusRaw: (v) => v.ApprovalStatus ?? null,
    sourceType: (v, _a, { enums }) => enums.read('ModelSourceType', ModelSourceType, v.SourceType),
    sourceTypeRaw: (v) => v.SourceType ?? null,
    sourceId: (v) => v.SourceId ?? null,
    metrics: (v) => v.Metrics ?? null,
    inferenceSpec: (v) => v.InferenceSpec ?? null,
    trainingSpec: (v) => v.TrainingSpec ?? null,
    evaluationSpec: (v) => v.EvaluationSpec ?? null,
    compressionSpec: (v) => v.CompressionSpec ?? null,
    distillationSpec: (v) => v.DistillationSpec ?? null,
    options: (v) => parseOptions(v.Options),
    extraInfo: (v) => v.ExtraInfo ?? null,
    labels: (v) => v.Labels,
    ownerId: (v) => v.OwnerId ?? null,
    userId: (v) => v.UserId ?? null,
    createdAt: (v) => v.GmtCreateTime ?? null,
    modifiedAt: (v) => v.GmtModifiedTime ?? null,
  },

  Label: {
    key: (l) => l.Key,
    value: (l) => l.Value ?? null,
  },

  CreateModelPayload: { model: ({ modelId }, _a, { models }) => models.model(modelId) },
  UpdateModelPayload: { model: ({ modelId }, _a, { models }) => models.model(modelId) },
  AddModelLabelsPayload: { model: ({ modelId }, _a, { models }) => models.model(modelId) },
  RemoveModelLabelsPayload: { model: ({ modelId }, _a, { models }) => models.model(modelId) },
  CreateModelVersionPayload: { modelVersion: ({ modelId, name }, _a, { models }) => models.version(modelId, name) },
  UpdateModelVersionPayload: { modelVersion: ({ modelId, name }, _a, { models }) => models.version(modelId, name) },
  AddModelVersionLabelsPayload: { modelVersion: ({ modelId, name }, _a, { models }) => models.version(modelId, name) },
  RemoveModelVersionLabelsPayload: { modelVersion: ({ modelId, name }, _a, { models }) => models.version(modelId, name) },

  // GraphQL enum names <-> the strings PAI sends and expects.
  ModelFormatType,
  ModelFrameworkType,
  ModelApprovalStatus,
  ModelSourceType,
  ModelOrderField,
  ModelVersionOrderField,
};
