/**
 * The emulator's in-memory state, kept in PAI's own field names. One store per emulator
 * instance; `reset()` returns it to empty (the demo data is loaded on top).
 */

export interface StoredLabel {
  Key: string;
  Value: string;
}

export interface StoredVersion {
  seq: number;
  VersionName: string;
  VersionDescription?: string;
  Uri: string;
  ApprovalStatus?: string;
  FormatType?: string;
  FrameworkType?: string;
  SourceType: string;
  SourceId?: string;
  InferenceSpec?: Record<string, unknown>;
  TrainingSpec?: Record<string, unknown>;
  EvaluationSpec?: Record<string, unknown>;
  CompressionSpec?: Record<string, unknown>;
  DistillationSpec?: Record<string, unknown>;
  Metrics?: Record<string, unknown>;
  ExtraInfo?: Record<string, unknown>;
  Options: string;
  Labels: StoredLabel[];
  OwnerId: string;
  UserId: string;
  GmtCreateTime: string;
  GmtModifiedTime: string;
}

export interface StoredModel {
  seq: number;
  ModelId: string;
  ModelName: string;
  ModelDescription?: string;
  ModelDoc?: string;
  ModelType?: string;
  Domain?: string;
  Task?: string;
  Origin?: string;
  Provider?: string;
  Accessibility: string;
  WorkspaceId: string;
  OwnerId: string;
  UserId: string;
  OrderNumber?: number;
  ParameterSize?: number;
  ExtraInfo?: Record<string, unknown>;
  GmtCreateTime: string;
  GmtModifiedTime: string;
  GmtLatestVersionModifiedTime?: string;
  Labels: StoredLabel[];
  /** Collections the model is listed in (ListModels `Collections` filter). */
  collections: string[];
  versions: Map<string, StoredVersion>;
}

export interface StoredAlgorithmVersion {
  seq: number;
  AlgorithmVersion: string;
  AlgorithmSpec: Record<string, unknown>;
  UserId: string;
  GmtCreateTime: string;
  GmtModifiedTime: string;
}

export interface StoredAlgorithm {
  seq: number;
  AlgorithmId: string;
  AlgorithmName: string;
  AlgorithmProvider?: string;
  AlgorithmDescription?: string;
  DisplayName?: string;
  WorkspaceId: string;
  UserId: string;
  TenantId: string;
  GmtCreateTime: string;
  GmtModifiedTime: string;
  versions: Map<string, StoredAlgorithmVersion>;
}

export interface StoredEvalTask {
  seq: number;
  Id: string;
  Name: string;
  Description?: string;
  AppName?: string;
  AliyunUid: string;
  UserId: string;
  /** Epoch milliseconds; statuses and record counts are derived from them and the clock. */
  createdAt: number;
  startTime?: number;
  endTime?: number;
  stoppedAt?: number;
  SamplingFrequencyMinutes: number;
  SamplingRatio: number;
  Filters: { Key: string; Operator: string; Value: string }[];
  EvaluationConfig?: Record<string, unknown>;
  /** Includes ApiKey: the service stores it and echoes it back. */
  ModelConfig?: Record<string, unknown>;
}

/** One trace evaluated by EvaluateTrace (the judge's API key is not kept). */
export interface StoredTraceResult {
  seq: number;
  TraceId: string;
  AppName?: string;
  /** The evaluated inputs ListEvalResults' `Keyword` searches. */
  input: string;
  /** The result record as ListEvalResults serialises it. */
  record: Record<string, unknown>;
}

export interface StoredTensorboard {
  seq: number;
  TensorboardId: string;
  DisplayName?: string;
  JobId?: string;
  SourceType?: string;
  SourceId?: string;
  DataSourceId?: string;
  DataSourceType?: string;
  TensorboardDataSources: Record<string, unknown>[];
  SummaryPath?: string;
  SummaryRelativePath?: string;
  Uri?: string;
  Options?: string;
  Cpu?: number;
  Memory?: number;
  MaxRunningTimeMinutes: number;
  Priority: string;
  QuotaId?: string;
  Accessibility: string;
  TensorboardSpec?: Record<string, unknown>;
  WorkspaceId: string;
  UserId: string;
  Username: string;
  /** Epoch milliseconds; the status is derived from them and the clock. */
  createdAt: number;
  modifiedAt: number;
  startedAt: number;
  stoppedAt?: number;
  /** A terminal status set by the scheduler (Succeeded, Failed). */
  terminal?: { status: 'Succeeded' | 'Failed'; at: number; reasonCode: string; reasonMessage: string };
}

/** A step of an EAS service's life; its status follows from the last step, its time and the clock. */
export type ServiceStep = 'create' | 'start' | 'stop' | 'update' | 'delete';

export interface StoredService {
  seq: number;
  ServiceName: string;
  /** `eas-m-` + lower-case alphanumerics; ServiceUid has the same value. */
  ServiceId: string;
  /** The region (EAS `ClusterId`) the service lives in. */
  Region: string;
  /** The service config as created and merged by updates (the `name` included). */
  config: Record<string, unknown>;
  Labels: { LabelKey: string; LabelValue: string }[];
  /** The token that authorizes inference calls: EAS returns it, the gateway never does. */
  AccessToken: string;
  WorkspaceId?: string;
  Source?: string;
  CallerUid: string;
  ParentUid: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /** The last lifecycle step and when it began. */
  step: { kind: ServiceStep; at: number };
  /** Set when the service fails at `at` (e.g. no resources for what it asks). */
  failure?: { at: number; reason: string; message: string };
  LatestVersion: number;
  CurrentVersion: number;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** PAI's timestamp format: ISO 8601 UTC without milliseconds. */
export const formatTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const DEMO_ACCOUNT = { OwnerId: '1557702098194904', UserId: '1557702098194904', TenantId: '1557702098194904', WorkspaceId: '23456' } as const;

export function createStore(clock: Clock = systemClock) {
  let seq = 0;
  let idCounter = 0;
  const models = new Map<string, StoredModel>();
  const algorithms = new Map<string, StoredAlgorithm>();
  const evalTasks = new Map<string, StoredEvalTask>();
  const tensorboards = new Map<string, StoredTensorboard>();
  /** EvaluateTrace's evaluations: evaluation id -> trace id -> result. */
  const traceEvaluations = new Map<string, Map<string, StoredTraceResult>>();
  /** EAS services by `${Region}/${ServiceName}`. */
  const services = new Map<string, StoredService>();
  return {
    tensorboards,
    services,
    models,
    algorithms,
    evalTasks,
    traceEvaluations,
    clock,
    nextSeq: () => (seq += 1),
    now: () => formatTime(clock.now()),
    /** Ids shaped like PAI's (`model-` + 18 lower-case alphanumerics), unique per store. */
    newId(prefix: string): string {
      idCounter += 1;
      const body = `${Date.now().toString(36)}${idCounter.toString(36)}${Math.random().toString(36).slice(2)}`.replace(/[^a-z0-9]/g, '');
      return `${prefix}-${body.slice(-18).padStart(18, '0')}`;
    },
    reset() {
      models.clear();
      algorithms.clear();
      evalTasks.clear();
      traceEvaluations.clear();
      tensorboards.clear();
      services.clear();
      seq = 0;
    },
  };
}

export type Store = ReturnType<typeof createStore>;
