import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Accessibility } from '../core/enums.js';
import { TensorboardOrderField, TensorboardStatus } from './tensorboards.enums.js';

/** `Duration` is seconds as a string; anything unreadable (or beyond what `Long` holds exactly) is null. */
const seconds = (d: string | number | null | undefined) => {
  const n = Math.trunc(typeof d === 'number' ? d : d ? Number(d) : NaN);
  return Number.isSafeInteger(n) ? n : null;
};

export const tensorboardResolvers: Resolvers = {
  Query: {
    tensorboards: (_p, args, { tensorboards }) => tensorboards.list(args),
    tensorboard: (_p, args, { tensorboards }) => tensorboards.tensorboard(args),
  },

  Mutation: {
    createTensorboard: (_p, { input }, { tensorboards }) => tensorboards.createTensorboard(input),
    startTensorboard: (_p, { input }, { tensorboards }) => tensorboards.startTensorboard(input),
    stopTensorboard: (_p, { input }, { tensorboards }) => tensorboards.stopTensorboard(input),
    updateTensorboard: (_p, { input }, { tensorboards }) => tensorboards.updateTensorboard(input),
    deleteTensorboard: (_p, { input }, { tensorboards }) => tensorboards.deleteTensorboard(input),
  },

  Tensorboard: {
    __resolveReference: (ref, { tensorboards }) => tensorboards.tensorboard({ id: ref.id }),
    id: (t) => t.TensorboardId,
    displayName: (t) => t.DisplayName ?? null,
    status: (t, _a, { enums }) => enums.read('TensorboardStatus', TensorboardStatus, t.Status),
    statusRaw: (t) => t.Status ?? null,
    reasonCode: (t) => t.ReasonCode || null,
    reasonMessage: (t) => t.ReasonMessage || null,
    url: (t) => t.TensorboardUrl || null,
    jobId: (t) => t.JobId || null,
    dataSourceId: (t) => t.DataSourceId || null,
    dataSourceType: (t) => t.DataSourceType || null,
    dataSources: (t) =>
      t.TensorboardDataSources.map((d) => ({
        id: d.Id ?? null,
        name: d.Name ?? null,
        sourceType: d.SourceType ?? null,
        dataSourceType: d.DataSourceType ?? null,
        uri: d.Uri ?? null,
        summaryPath: d.SummaryPath ?? null,
        fullSummaryPath: d.FullSummaryPath ?? null,
        directoryName: d.DirectoryName ?? null,
      })),
    summaryPath: (t) => t.SummaryPath || null,
    summaryRelativePath: (t) => t.SummaryRelativePath || null,
    options: (t) => t.Options || null,
    cpu: (t) => t.Cpu ?? null,
    memory: (t) => t.Memory ?? null,
    maxRunningTimeMinutes: (t) => t.MaxRunningTimeMinutes ?? null,
    priority: (t) => t.Priority || null,
    quotaId: (t) => t.QuotaId || null,
    quotaName: (t) => t.QuotaName || null,
    accessibility: (t, _a, { enums }) => enums.read('Accessibility', Accessibility, t.Accessibility),
    accessibilityRaw: (t) => t.Accessibility ?? null,
    duration: (t) => seconds(t.Duration),
    spec: (t) =>
      t.TensorboardSpec
        ? { ecsType: t.TensorboardSpec.EcsType ?? null, vpcId: t.TensorboardSpec.VpcId ?? null, switchId: t.TensorboardSpec.SwitchId ?? null, securityGroupId: t.TensorboardSpec.SecurityGroupId ?? null }
        : null,
    createdAt: (t) => t.GmtCreateTime ?? null,
    modifiedAt: (t) => t.GmtModifyTime ?? null,
    finishedAt: (t) => t.GmtFinishTime ?? null,
    userId: (t) => t.UserId || null,
    username: (t) => t.Username || null,
    workspaceId: (t) => t.WorkspaceId || null,
    sharedUrl: (t, { expireTimeSeconds }, { tensorboards }) => tensorboards.sharedUrl(t.TensorboardId, expireTimeSeconds),
  },

  CreateTensorboardPayload: { tensorboard: (r, _a, { tensorboards }) => tensorboards.tensorboard(r) },
  StartTensorboardPayload: { tensorboard: (r, _a, { tensorboards }) => tensorboards.tensorboard(r) },
  StopTensorboardPayload: { tensorboard: (r, _a, { tensorboards }) => tensorboards.tensorboard(r) },
  UpdateTensorboardPayload: { tensorboard: (r, _a, { tensorboards }) => tensorboards.tensorboard(r) },

  TensorboardStatus,
  TensorboardOrderField,
};
