import { z } from 'zod';
import { Accessibility } from '../core/enums.js';
import { compact, idOf, oneOf, opt } from '../core/validation.js';
import { STATUS_FILTER_VALUES, TensorboardOrderField, TensorboardStatus } from './tensorboards.enums.js';

/** Validation of GraphQL input for TensorBoards and its translation to pai-dlc's fields. */

export const tensorboardId = idOf('TensorBoard');

export const MAX_SHARED_URL_SECONDS = 604_800;

export const expireTimeSeconds = z
  .number()
  .int()
  .min(1, `must be between 1 and ${MAX_SHARED_URL_SECONDS} seconds (7 days)`)
  .max(MAX_SHARED_URL_SECONDS, `must be between 1 and ${MAX_SHARED_URL_SECONDS} seconds (7 days)`);

const priority = z.string().regex(/^[1-9]$/, 'must be a digit from 1 to 9');
/** A whole number from 1 to `max` (the gateway's own bound: PAI documents none). */
const count = (max: number) => z.number().int().min(1, `must be between 1 and ${max}`).max(max, `must be between 1 and ${max}`);
export const MAX_CPU = 256;
export const MAX_MEMORY_GB = 4096;
/** 30 days. */
export const MAX_RUNNING_MINUTES = 43_200;
const workspaceId = opt(z.string().trim().min(1, 'must not be empty'));
const uri = z.string().regex(/^(oss|nas):\/\/\S+$/, 'must be an oss://<bucket>.<endpoint>/<path> or nas://<fs-id>.<region>/<path> URI');
const jsonText = z.string().refine((s) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a JSON string');

export const TensorboardKeyInput = z.object({ id: tensorboardId, workspaceId, jobId: opt(z.string().trim().min(1, 'must not be empty')) });

export const TensorboardRefInput = z.object({ id: tensorboardId, workspaceId });

export const CreateTensorboardInput = z
  .object({
    displayName: opt(z.string().max(128, 'must be at most 128 characters')),
    workspaceId,
    jobId: opt(z.string().min(1, 'must not be empty')),
    sourceType: opt(z.string()),
    sourceId: opt(z.string()),
    dataSourceType: opt(z.enum(['OSS', 'NAS'], { error: 'must be OSS or NAS' })),
    dataSourceId: opt(z.string()),
    dataSources: opt(
      z.array(
        z.object({
          id: opt(z.string()),
          name: opt(z.string()),
          sourceType: opt(z.enum(['datasource', 'dlcjob'], { error: 'must be datasource or dlcjob' })),
          dataSourceType: opt(z.string()),
          uri: opt(uri),
          summaryPath: opt(z.string()),
          directoryName: opt(z.string()),
        }),
      ),
    ),
    summaryPath: opt(z.string()),
    summaryRelativePath: opt(z.string()),
    uri: opt(uri),
    options: opt(jsonText),
    cpu: opt(count(MAX_CPU)),
    memory: opt(count(MAX_MEMORY_GB)),
    maxRunningTimeMinutes: opt(count(MAX_RUNNING_MINUTES)),
    priority: opt(priority),
    quotaId: opt(z.string()),
    accessibility: opt(oneOf(Accessibility, 'Accessibility')),
    spec: opt(z.object({ ecsType: z.string().min(1, 'must not be empty'), vpcId: opt(z.string()), switchId: opt(z.string()), securityGroupId: opt(z.string()) })),
  })
  .superRefine((v, ctx) => {
    if (!v.jobId && !v.sourceId && !v.dataSourceId && !v.uri && !v.dataSources?.length) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must name what to show: jobId, sourceId, dataSourceId, dataSources or uri' });
    }
  })
  .transform((v) =>
    compact({
      DisplayName: v.displayName,
      WorkspaceId: v.workspaceId,
      JobId: v.jobId,
      SourceType: v.sourceType,
      SourceId: v.sourceId,
      DataSourceType: v.dataSourceType,
      DataSourceId: v.dataSourceId,
      TensorboardDataSources: v.dataSources?.map((d) =>
        compact({ Id: d.id, Name: d.name, SourceType: d.sourceType, DataSourceType: d.dataSourceType, Uri: d.uri, SummaryPath: d.summaryPath, DirectoryName: d.directoryName }),
      ),
      SummaryPath: v.summaryPath,
      SummaryRelativePath: v.summaryRelativePath,
      Uri: v.uri,
      Options: v.options,
      Cpu: v.cpu,
      Memory: v.memory,
      MaxRunningTimeMinutes: v.maxRunningTimeMinutes,
      Priority: v.priority,
      QuotaId: v.quotaId,
      Accessibility: v.accessibility,
      TensorboardSpec: v.spec && compact({ EcsType: v.spec.ecsType, VpcId: v.spec.vpcId, SwitchId: v.spec.switchId, SecurityGroupId: v.spec.securityGroupId }),
    }),
  );

export const UpdateTensorboardInput = z
  .object({ id: tensorboardId, workspaceId, accessibility: opt(oneOf(Accessibility, 'Accessibility')), maxRunningTimeMinutes: opt(count(MAX_RUNNING_MINUTES)), priority: opt(priority) })
  .transform((v) => ({ id: v.id, query: compact({ Accessibility: v.accessibility, MaxRunningTimeMinutes: v.maxRunningTimeMinutes, Priority: v.priority, WorkspaceId: v.workspaceId }) }));

export const TensorboardFilterInput = z
  .object({
    workspaceId: opt(z.string()),
    id: opt(z.string()),
    displayName: opt(z.string()),
    jobId: opt(z.string()),
    sourceType: opt(z.string()),
    sourceId: opt(z.string()),
    status: opt(oneOf(TensorboardStatus, 'TensorboardStatus')),
    accessibility: opt(oneOf(Accessibility, 'Accessibility')),
    paymentType: opt(z.enum(['Free', 'Postpaid'], { error: 'must be Free or Postpaid' })),
    quotaId: opt(z.string()),
    userId: opt(z.string()),
    username: opt(z.string()),
    showOwn: opt(z.boolean()),
    verbose: opt(z.boolean()),
    createdAfter: opt(z.date()),
    createdBefore: opt(z.date()),
  })
  .nullish()
  .superRefine((f, ctx) => {
    if (f?.createdAfter && f.createdBefore && f.createdBefore < f.createdAfter) ctx.addIssue({ code: 'custom', path: ['createdBefore'], message: 'must not be before createdAfter' });
  })
  .transform((f) =>
    compact({
      WorkspaceId: f?.workspaceId,
      TensorboardId: f?.id,
      DisplayName: f?.displayName,
      JobId: f?.jobId,
      SourceType: f?.sourceType,
      SourceId: f?.sourceId,
      Status: f?.status && STATUS_FILTER_VALUES[f.status as TensorboardStatus],
      Accessibility: f?.accessibility,
      PaymentType: f?.paymentType,
      QuotaId: f?.quotaId,
      UserId: f?.userId,
      Username: f?.username,
      ShowOwn: f?.showOwn,
      Verbose: f?.verbose,
      StartTime: f?.createdAfter?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      EndTime: f?.createdBefore?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
  );

/** pai-dlc sorts with lower-case `asc` / `desc`. */
export const TensorboardOrderInput = z
  .object({ field: oneOf(TensorboardOrderField, 'TensorboardOrderField'), direction: z.enum(['ASC', 'DESC']) })
  .nullish()
  .transform((o) => (o ? { SortBy: o.field, Order: o.direction.toLowerCase() } : {}));
