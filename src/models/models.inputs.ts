import { z } from 'zod';
import { Accessibility } from '../core/enums.js';
import { byteLength, compact, idOf, jsonObjectInput, oneOf, opt } from '../core/validation.js';
import { ModelApprovalStatus, ModelFormatType, ModelFrameworkType, ModelSourceType } from './models.enums.js';

/**
 * Validation of GraphQL input for the model domain (rules from the AIWorkSpace docs), and its
 * translation to upstream field names. Each schema parses GraphQL input and outputs the
 * upstream request. Enum arguments already arrive as PAI strings (see models.enums.ts).
 */

const MAX_METRICS_BYTES = 8192;
export const VERSION_NAME = /^\d+\.\d+\.\d+(_\w+)?$/;
const SOURCE_ID = /^region=[^,=]+,workspaceId=[^,=]+,kind=(PipelineRun|ServiceJob),id=[^,=]+$/;

const id = idOf;

export const modelId = id('model');

export const modelName = z
  .string()
  .refine((s) => s.trim().length > 0, 'must not be empty or blank')
  .refine((s) => [...s].length <= 127, 'must be 1 to 127 characters');

export const versionName = z.string().max(64, 'must be at most 64 characters').regex(VERSION_NAME, 'must match major.minor.patch with an optional _suffix, e.g. 1.0.0 or 2.3.4_beta');

const labelPart = (what: 'key' | 'value') =>
  z
    .string()
    .refine((s) => what === 'value' || s.length > 0, 'must not be empty')
    .refine((s) => byteLength(s) <= 128, 'must be at most 128 bytes')
    .refine((s) => !/[=,]/.test(s), 'must not contain "=" or ","');

export const labelKey = labelPart('key');

const labels = z
  .array(z.object({ key: labelKey, value: labelPart('value') }))
  .transform((ls) => ls.map((l) => ({ Key: l.key, Value: l.value })));

const nonEmptyLabels = z
  .array(z.object({ key: labelKey, value: labelPart('value') }))
  .min(1, 'must hold at least one label')
  .transform((ls) => ls.map((l) => ({ Key: l.key, Value: l.value })));

const labelKeys = z
  .array(labelKey)
  .min(1, 'must hold at least one key')
  .transform((ks) => [...new Set(ks)]);


const metrics = jsonObjectInput.refine((m) => byteLength(JSON.stringify(m)) <= MAX_METRICS_BYTES, `must be at most ${MAX_METRICS_BYTES} bytes when serialised as JSON`);

const nonNegativeInt = (rule: string) => z.number().int(rule).min(0, rule);

const uri = z
  .string()
  .trim()
  .regex(/^(oss:\/\/[^/\s]+\/\S*|https?:\/\/\S+)$/i, 'must be an oss://<bucket>.<endpoint>/<path> or http(s):// URI');

/** SourceId must follow PAI's format unless the source is Custom. */
function checkSource(v: { SourceType?: string | undefined; SourceId?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.SourceId !== undefined && v.SourceType !== undefined && v.SourceType !== (ModelSourceType.CUSTOM as string) && !SOURCE_ID.test(v.SourceId)) {
    ctx.addIssue({
      code: 'custom',
      path: ['sourceId'],
      message: 'must be region=<region>,workspaceId=<id>,kind=<PipelineRun|ServiceJob>,id=<id> when sourceType is not CUSTOM',
    });
  }
}

const versionSpecs = {
  metrics: opt(metrics),
  inferenceSpec: opt(jsonObjectInput),
  trainingSpec: opt(jsonObjectInput),
  evaluationSpec: opt(jsonObjectInput),
  compressionSpec: opt(jsonObjectInput),
  distillationSpec: opt(jsonObjectInput),
  options: opt(jsonObjectInput),
  extraInfo: opt(jsonObjectInput),
};

const specsToUpstream = (v: z.output<z.ZodObject<typeof versionSpecs>>) => ({
  Metrics: v.metrics,
  InferenceSpec: v.inferenceSpec,
  TrainingSpec: v.trainingSpec,
  EvaluationSpec: v.evaluationSpec,
  CompressionSpec: v.compressionSpec,
  DistillationSpec: v.distillationSpec,
  Options: v.options === undefined ? undefined : JSON.stringify(v.options),
  ExtraInfo: v.extraInfo,
});


const modelFields = {
  description: opt(z.string()),
  accessibility: opt(oneOf(Accessibility, 'Accessibility')),
  origin: opt(z.string()),
  domain: opt(z.string()),
  task: opt(z.string()),
  doc: opt(z.string()),
  orderNumber: opt(z.number().int('must be an integer')),
  modelType: opt(z.string()),
  extraInfo: opt(jsonObjectInput),
  parameterSize: opt(nonNegativeInt('must be an integer of at least 0')),
};

/** The model fields create and update share, by their upstream names. */
const modelFieldsToUpstream = (v: { name?: string | undefined } & z.output<z.ZodObject<typeof modelFields>>) => ({
  ModelName: v.name,
  ModelDescription: v.description,
  Accessibility: v.accessibility,
  Origin: v.origin,
  Domain: v.domain,
  Task: v.task,
  ModelDoc: v.doc,
  OrderNumber: v.orderNumber,
  ModelType: v.modelType,
  ExtraInfo: v.extraInfo,
  ParameterSize: v.parameterSize,
});

export const CreateModelInput = z
  .object({
    name: modelName,
    workspaceId: opt(z.string().trim().min(1, 'must not be empty')),
    ...modelFields,
    tags: opt(labels),
    labels: opt(labels),
  })
  .transform((v) => compact({ ...modelFieldsToUpstream(v), WorkspaceId: v.workspaceId, Tag: v.tags, Labels: v.labels }));

export const UpdateModelInput = z
  .object({ id: id('model'), name: opt(modelName), ...modelFields })
  .transform(({ id: modelId, ...v }) => ({ modelId, body: compact(modelFieldsToUpstream(v)) }));

export const DeleteModelInput = z.object({ id: id('model') });

export const CreateModelVersionInput = z
  .object({
    modelId: id('model'),
    name: opt(versionName),
    uri,
    description: opt(z.string()),
    formatType: opt(oneOf(ModelFormatType, 'ModelFormatType')),
    frameworkType: opt(oneOf(ModelFrameworkType, 'ModelFrameworkType')),
    approvalStatus: opt(oneOf(ModelApprovalStatus, 'ModelApprovalStatus')),
    sourceType: opt(oneOf(ModelSourceType, 'ModelSourceType')),
    sourceId: opt(z.string()),
    labels: opt(labels),
    ...versionSpecs,
  })
  .superRefine((v, ctx) => checkSource({ SourceType: v.sourceType, SourceId: v.sourceId }, ctx))
  .transform((v) => ({
    modelId: v.modelId,
    body: compact({
      VersionName: v.name,
      Uri: v.uri,
      VersionDescription: v.description,
      FormatType: v.formatType,
      FrameworkType: v.frameworkType,
      ApprovalStatus: v.approvalStatus,
      SourceType: v.sourceType,
      SourceId: v.sourceId,
      Labels: v.labels,
      ...specsToUpstream(v),
    }),
  }));

export const UpdateModelVersionInput = z
  .object({
    modelId: id('model'),
    name: versionName,
    description: opt(z.string()),
    approvalStatus: opt(oneOf(ModelApprovalStatus, 'ModelApprovalStatus')),
    sourceType: opt(oneOf(ModelSourceType, 'ModelSourceType')),
    sourceId: opt(z.string()),
    ...versionSpecs,
  })
  .superRefine((v, ctx) => checkSource({ SourceType: v.sourceType, SourceId: v.sourceId }, ctx))
  .transform((v) => ({
    modelId: v.modelId,
    name: v.name,
    body: compact({
      VersionDescription: v.description,
      ApprovalStatus: v.approvalStatus,
      SourceType: v.sourceType,
      SourceId: v.sourceId,
      ...specsToUpstream(v),
    }),
  }));

export const DeleteModelVersionInput = z.object({ modelId: id('model'), name: versionName });

export const AddModelLabelsInput = z.object({ modelId: id('model'), labels: nonEmptyLabels });
export const RemoveModelLabelsInput = z.object({ modelId: id('model'), keys: labelKeys });
export const AddModelVersionLabelsInput = z.object({ modelId: id('model'), name: versionName, labels: nonEmptyLabels });
export const RemoveModelVersionLabelsInput = z.object({ modelId: id('model'), name: versionName, keys: labelKeys });

/** `models(filter:)` as ListModels query parameters. */
export const ModelFilterInput = z
  .object({
    workspaceId: opt(z.string()),
    name: opt(z.string()),
    domain: opt(z.string()),
    task: opt(z.string()),
    modelType: opt(z.string()),
    origin: opt(z.string()),
    label: opt(z.string()),
    query: opt(z.string()),
    provider: opt(z.string()),
    collections: opt(z.array(z.string().min(1, 'must not be empty').refine((s) => !s.includes(','), 'must not contain ","'))),
    tags: opt(labels),
    conditions: opt(
      z.array(
        z.object({
          column: z.string().min(1, 'must not be empty'),
          operator: z.string().min(1, 'must not be empty'),
          value: z.string(),
        }),
      ),
    ),
  })
  .nullish()
  .transform((f) =>
    compact({
      WorkspaceId: f?.workspaceId,
      ModelName: f?.name,
      Domain: f?.domain,
      Task: f?.task,
      ModelType: f?.modelType,
      Origin: f?.origin,
      Label: f?.label,
      Query: f?.query,
      Provider: f?.provider,
      Collections: f?.collections?.length ? f.collections.join(',') : undefined,
      Tag: f?.tags?.length ? f.tags : undefined,
      Conditions: f?.conditions?.length ? f.conditions.map((c) => ({ Column: c.column, Operator: c.operator, Value: c.value })) : undefined,
    }),
  );

/** `versions(filter:)` as ListModelVersions query parameters. */
export const ModelVersionFilterInput = z
  .object({
    name: opt(z.string()),
    formatType: opt(oneOf(ModelFormatType, 'ModelFormatType')),
    frameworkType: opt(oneOf(ModelFrameworkType, 'ModelFrameworkType')),
    approvalStatus: opt(oneOf(ModelApprovalStatus, 'ModelApprovalStatus')),
    sourceType: opt(oneOf(ModelSourceType, 'ModelSourceType')),
    sourceId: opt(z.string()),
    label: opt(z.string()),
  })
  .nullish()
  .transform((f) =>
    compact({
      VersionName: f?.name,
      FormatType: f?.formatType,
      FrameworkType: f?.frameworkType,
      ApprovalStatus: f?.approvalStatus,
      SourceType: f?.sourceType,
      SourceId: f?.sourceId,
      Label: f?.label,
    }),
  );

export const OrderInput = z
  .object({ field: z.literal('GmtCreateTime'), direction: z.enum(['ASC', 'DESC']) })
  .nullish()
  .transform((o) => (o ? { SortBy: o.field, Order: o.direction } : {}));
