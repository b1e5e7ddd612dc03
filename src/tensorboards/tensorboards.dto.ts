import { z } from 'zod';
import { integer, isoTime, list, requestId, text } from '../core/dto.js';

/** zod schemas of pai-dlc 2020-12-03 TensorBoard payloads (upstream-contract section 3). */

export const TensorboardDataSourceDTO = z.object({
  Id: text,
  Name: text,
  SourceType: text,
  DataSourceType: text,
  Uri: text,
  SummaryPath: text,
  FullSummaryPath: text,
  DirectoryName: text,
});

export const TensorboardDTO = z.object({
  TensorboardId: z.string().min(1),
  DisplayName: text,
  Status: text,
  ReasonCode: text,
  ReasonMessage: text,
  TensorboardUrl: text,
  JobId: text,
  DataSourceId: text,
  DataSourceType: text,
  SummaryPath: text,
  SummaryRelativePath: text,
  Options: text,
  TensorboardDataSources: list(TensorboardDataSourceDTO),
  TensorboardSpec: z.object({ EcsType: text, VpcId: text, SwitchId: text, SecurityGroupId: text }).nullish(),
  Cpu: integer,
  Memory: integer,
  MaxRunningTimeMinutes: integer,
  Priority: text,
  QuotaId: text,
  QuotaName: text,
  Accessibility: text,
  /** Seconds, as a string. */
  Duration: z.union([z.string(), z.number()]).nullish(),
  GmtCreateTime: isoTime,
  GmtModifyTime: isoTime,
  GmtFinishTime: isoTime,
  UserId: text,
  Username: text,
  WorkspaceId: text,
});
export type TensorboardDTO = z.infer<typeof TensorboardDTO>;

/** GetTensorboard's body is the Tensorboard itself (with RequestId). */
export const GetTensorboardResponse = TensorboardDTO.extend({ RequestId: requestId });
export const ListTensorboardsResponse = z.object({ Tensorboards: list(TensorboardDTO), TotalCount: z.number().int().nonnegative(), RequestId: requestId });
export const CreateTensorboardResponse = z.object({ TensorboardId: z.string().min(1), DataSourceId: text, JobId: text, RequestId: requestId });
export const TensorboardAck = z.object({ TensorboardId: text, RequestId: requestId });
export const SharedUrlResponse = z.object({ TensorboardSharedUrl: z.string().min(1), RequestId: requestId });
