/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Labels to add to a model. */
export type AddModelLabelsInput = {
  /** The labels to add (at least one). */
  labels: Array<LabelInput>;
  /** The id of the model to label. */
  modelId: string | number;
};

/** A model version to add. */
export type CreateModelVersionInput = {
  /** The approval status. */
  approvalStatus?: ModelApprovalStatus | null | undefined;
  /** Compression configuration (a JSON object). */
  compressionSpec?: unknown;
  /** What changed in this version. */
  description?: string | null | undefined;
  /** Distillation configuration (a JSON object). */
  distillationSpec?: unknown;
  /** Evaluation configuration (a JSON object). */
  evaluationSpec?: unknown;
  /** Free-form extra information (a JSON object). */
  extraInfo?: unknown;
  /** The format of the model files. */
  formatType?: ModelFormatType | null | undefined;
  /** The framework the model was built with. */
  frameworkType?: ModelFrameworkType | null | undefined;
  /** Serving configuration (a JSON object), e.g. `{"processor": "tensorflow_gpu_1.12"}`. */
  inferenceSpec?: unknown;
  /** Labels to attach. */
  labels?: Array<LabelInput> | null | undefined;
  /** Evaluation metrics (a JSON object of at most 8192 bytes when serialised). */
  metrics?: unknown;
  /** The id of the model to add the version to. */
  modelId: string | number;
  /** The version name: `major.minor.patch` with an optional `_suffix`, e.g. `1.0.0` or `2.3.4_beta`. Default: `0.1.0`, then the next minor number. */
  name?: string | null | undefined;
  /** Extension fields (a JSON object); sent to PAI as the JSON string `Options`. */
  options?: unknown;
  /** Where the version was produced. Required format for `PAIFLOW` and `TRAINING_SERVICE`: `region=<r>,workspaceId=<w>,kind=<PipelineRun|ServiceJob>,id=<id>`. */
  sourceId?: string | null | undefined;
  /** How the version was produced; default `CUSTOM`. */
  sourceType?: ModelSourceType | null | undefined;
  /** Training configuration (a JSON object). */
  trainingSpec?: unknown;
  /** Where the model files are: `oss://<bucket>.<endpoint>/<path>` or an HTTP(S) URL. */
  uri: string;
};

/** A model version to deploy as an EAS service, and how. */
export type DeployModelVersionInput = {
  /** CPU cores per instance: 1 to 128 (`metadata.cpu`); default: the InferenceSpec's. */
  cpu?: number | null | undefined;
  /** GPUs per instance: 0 to 16 (`metadata.gpu`); default: the InferenceSpec's. */
  gpu?: number | null | undefined;
  /** How many instances to run: 1 to 100 (EAS `metadata.instance`); default: the InferenceSpec's, else 1. */
  instanceCount?: number | null | undefined;
  /** The ECS instance type on the public pool, e.g. `ecs.gn6i-c4g1.xlarge` (`cloud.computing.instance_type`). */
  instanceType?: string | null | undefined;
  /** Labels to put on the service besides the two pai-graph sets (at most 20, keys unique). */
  labels?: Array<ServiceLabelInput> | null | undefined;
  /** Memory per instance in MB: 1 to 1048576 (`metadata.memory`); default: the InferenceSpec's. */
  memory?: number | null | undefined;
  /** The model the version belongs to. */
  modelId: string | number;
  /** The processor that serves the model, e.g. `pytorch_gpu_1.10`; default: the InferenceSpec's. */
  processor?: string | null | undefined;
  /** A dedicated resource group to run on, `eas-r-...` (`metadata.resource`); default: the public pool. */
  resource?: string | null | undefined;
  /** The new service's name, unique in the region: a lower-case letter, then lower-case letters, digits and underscores, 3 to 63 characters. */
  serviceName: string;
  /** The version to deploy, e.g. `1.0.0`. It must have an `inferenceSpec` and a `uri`. */
  versionName: string;
  /** The workspace to create the service in. */
  workspaceId?: string | null | undefined;
};

/** Conditions on the evaluation task list. */
export type EvalTaskFilter = {
  /** Only tasks of this application (exact match). */
  appName?: string | null | undefined;
  /** Fuzzy search over task name, id, description, application and metric. */
  keyword?: string | null | undefined;
  /** Only tasks created at or before this time; not before `minTime`. */
  maxTime?: string | null | undefined;
  /** Only tasks created at or after this time. */
  minTime?: string | null | undefined;
  /** Only tasks that sample this way. */
  samplingMethod?: EvalTaskSamplingMethod | null | undefined;
  /** Only tasks in this status. */
  status?: EvalTaskStatus | null | undefined;
};

/** How a task samples trace data (PaiLLMTrace `SamplingMethod`). */
export type EvalTaskSamplingMethod =
  /** A percentage of the traces (PAI `Ratio`). */
  | 'RATIO'
  /** Every trace in each sampling window (PAI `Window`). */
  | 'WINDOW';

/** Where an online evaluation task is in its life (PaiLLMTrace `Status`, read ignoring case, spaces, `_` and `-`). */
export type EvalTaskStatus =
  /** Created, not yet processing data. */
  | 'CREATED'
  /** Done: the whole trace window was evaluated. */
  | 'FINISHED'
  /** Sampling and evaluating trace data. */
  | 'RUNNING'
  /** Stopped by a user; it cannot be changed or restarted. */
  | 'USER_CANCELED';

/**
 * A key-value label to attach. Keys and values are at most 128 bytes each and contain neither
 * `=` nor `,`. Adding a key that already exists replaces its value.
 */
export type LabelInput = {
  /** The label key: 1 to 128 bytes, without `=` or `,`. */
  key: string;
  /** The label value: at most 128 bytes, without `=` or `,`. */
  value: string;
};

/** Whether a model version is approved for use (PAI `ApprovalStatus`, read ignoring case, spaces, `_` and `-`). */
export type ModelApprovalStatus =
  /** Approved for use (PAI `Approved`). */
  | 'APPROVED'
  /** Waiting for review (PAI `Pending`). */
  | 'PENDING'
  /** Rejected (PAI `Rejected`). */
  | 'REJECTED';

/** A condition on one model property (PAI `Conditions`). */
export type ModelCondition = {
  /** The property name, e.g. `ParameterSize`. */
  column: string;
  /** The comparison, e.g. `LessThan`, `GreaterThan` or `Equal`. */
  operator: string;
  /** The value to compare with, as text, e.g. `3000`. */
  value: string;
};

/** Conditions on the model list. Text conditions are case-insensitive substring matches unless stated. */
export type ModelFilter = {
  /** Only models in at least one of these collections, e.g. `["AI4D", "QuickStart"]`. */
  collections?: Array<string> | null | undefined;
  /** Only models meeting all of these numeric or text conditions, e.g. `{column: "ParameterSize", operator: "LessThan", value: "3000"}`. */
  conditions?: Array<ModelCondition> | null | undefined;
  /** Only models of this domain, e.g. `nlp`. */
  domain?: string | null | undefined;
  /** Only models with a label whose key or value contains this text. */
  label?: string | null | undefined;
  /** Only models of this type, e.g. `Checkpoint`. */
  modelType?: string | null | undefined;
  /** Only models whose name contains this text. */
  name?: string | null | undefined;
  /** Only models from this source, e.g. `ModelScope`. */
  origin?: string | null | undefined;
  /** Lists this provider's public models (e.g. `pai`) instead of your own. */
  provider?: string | null | undefined;
  /** Fuzzy search over name, domain, task and label keys and values. */
  query?: string | null | undefined;
  /** Only models carrying all of these tags. */
  tags?: Array<LabelInput> | null | undefined;
  /** Only models of this task, e.g. `text-classification`. */
  task?: string | null | undefined;
  /** Only models in this workspace. */
  workspaceId?: string | null | undefined;
};

/** The format of a model version's files (PAI `FormatType`, read ignoring case, spaces, `_` and `-`). */
export type ModelFormatType =
  /** Alink model (PAI `AlinkModel`). */
  | 'ALINK_MODEL'
  /** Caffe prototxt (PAI `Caffe Prototxt`). */
  | 'CAFFE_PROTOTXT'
  /** TensorFlow frozen graph (PAI `Frozen Pb`). */
  | 'FROZEN_PB'
  /** Keras HDF5 (PAI `Keras H5`). */
  | 'KERAS_H5'
  /** PAI `OfflineModel`. */
  | 'OFFLINE_MODEL'
  /** Open Neural Network Exchange (PAI `ONNX`). */
  | 'ONNX'
  /** Predictive Model Markup Language (PAI `PMML`). */
  | 'PMML'
  /** TensorFlow SavedModel (PAI `SavedModel`). */
  | 'SAVED_MODEL'
  /** PyTorch TorchScript (PAI `TorchScript`). */
  | 'TORCH_SCRIPT'
  /** XGBoost model (PAI `XGBoost`). */
  | 'XGBOOST';

/** The framework a model version was built with (PAI `FrameworkType`, read ignoring case, spaces, `_` and `-`, so `Pytorch` and `PyTorch` are both `PYTORCH`). */
export type ModelFrameworkType =
  /** Alink (PAI `Alink`). */
  | 'ALINK'
  /** Caffe (PAI `Caffe`). */
  | 'CAFFE'
  /** Keras (PAI `Keras`). */
  | 'KERAS'
  /** PyTorch (PAI `Pytorch`). */
  | 'PYTORCH'
  /** TensorFlow (PAI `TensorFlow`). */
  | 'TENSORFLOW'
  /** Xflow (PAI `Xflow`). */
  | 'XFLOW'
  /** XGBoost (PAI `XGBoost`). */
  | 'XGBOOST';

/** How a model version was produced (PAI `SourceType`, read ignoring case, spaces, `_` and `-`). */
export type ModelSourceType =
  /** Registered by hand (PAI `Custom`, the default). */
  | 'CUSTOM'
  /** Produced by a PAIFlow pipeline run (PAI `PAIFlow`). */
  | 'PAIFLOW'
  /** Produced by a training service job (PAI `TrainingService`). */
  | 'TRAINING_SERVICE';

/** Labels to remove from a model. */
export type RemoveModelLabelsInput = {
  /** The keys of the labels to remove (at least one). */
  keys: Array<string>;
  /** The id of the model. */
  modelId: string | number;
};

/** A label to put on a service, or to filter by. */
export type ServiceLabelInput = {
  /** The label key: 1 to 128 bytes; keys starting with `pai-graph.` are set by pai-graph itself and cannot be given. */
  key: string;
  /** The label value: at most 256 bytes. */
  value: string;
};

/** Where an EAS service is in its life (EAS `Status`, read ignoring case, `_` and `-`). Transitional statuses change on their own: poll `service(name)`. */
export type ServiceStatus =
  /** Being cloned. */
  | 'CLONING'
  /** Committing a development image. */
  | 'COMMITTING'
  /** Finished (a task-like service). */
  | 'COMPLETE'
  /** Being created, right after `deployModelVersion`. */
  | 'CREATING'
  /** Deleted. */
  | 'DELETED'
  /** A delete failed; delete it again. */
  | 'DELETE_FAILED'
  /** Being deleted after `deleteService`. */
  | 'DELETING'
  /** Being deployed. */
  | 'DEPLOYING'
  /** In development mode. */
  | 'DEVELOPING'
  /** Failed; see `reason` and `message`. Update or start it again. */
  | 'FAILED'
  /** Applying an update without a restart. */
  | 'HOT_UPDATE'
  /** Waiting for resources. */
  | 'PENDING'
  /** Running: requests to its endpoints are served. */
  | 'RUNNING'
  /** Changing its number of instances. */
  | 'SCALING'
  /** Starting after `startService`. */
  | 'STARTING'
  /** Stopped: no instances run; start it again to serve. */
  | 'STOPPED'
  /** Stopping after `stopService`. */
  | 'STOPPING'
  /** Applying an update. */
  | 'UPDATING'
  /** Waiting for instances to be scheduled. */
  | 'WAITING';

/** Where a TensorBoard is in its life (PAI `Status`, read ignoring case, spaces, `_` and `-`). */
export type TensorboardStatus =
  /** Being created or started. */
  | 'CREATING'
  /** Failed; see `reasonCode` and `reasonMessage`. */
  | 'FAILED'
  /** Running and reachable at its URL. */
  | 'RUNNING'
  /** Stopped; start it again to use it. */
  | 'STOPPED'
  /** Ended normally. */
  | 'SUCCEEDED';

export type CreateModelVersionMutationVariables = Exact<{
  input: CreateModelVersionInput;
}>;


export type CreateModelVersionMutation = { createModelVersion: { modelVersion: { id: string, name: string, formatType: ModelFormatType | null, model: { id: string } | null } | null } | null };

export type DeployModelVersionMutationVariables = Exact<{
  input: DeployModelVersionInput;
}>;


export type DeployModelVersionMutation = { deployModelVersion: { service: { id: string, name: string, status: ServiceStatus | null, internetEndpoint: string | null, totalInstances: number | null, labels: Array<{ key: string, value: string | null }> } | null } | null };

export type ServiceStatusQueryVariables = Exact<{
  name: string;
}>;


export type ServiceStatusQuery = { service: { id: string, name: string, status: ServiceStatus | null, reason: string | null, message: string | null, runningInstances: number | null, pendingInstances: number | null, internetEndpoint: string | null, hasAccessToken: boolean | null } | null };

export type AddModelLabelsMutationVariables = Exact<{
  input: AddModelLabelsInput;
}>;


export type AddModelLabelsMutation = { addModelLabels: { model: { id: string, labels: Array<{ key: string, value: string | null }> } | null } | null };

export type RemoveModelLabelsMutationVariables = Exact<{
  input: RemoveModelLabelsInput;
}>;


export type RemoveModelLabelsMutation = { removeModelLabels: { model: { id: string, labels: Array<{ key: string, value: string | null }> } | null } | null };

export type EvalTaskDashboardQueryVariables = Exact<{
  first: number;
  filter?: EvalTaskFilter | null | undefined;
}>;


export type EvalTaskDashboardQuery = { evalTasks: { totalCount: number, nodes: Array<{ id: string, name: string | null, appName: string | null, status: EvalTaskStatus | null, samplingRatio: number | null, recordCount: number | null, modelConfig: { name: string | null, hasApiKey: boolean } | null }> } | null };

export type ModelDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type ModelDetailQuery = { model: { id: string, name: string, description: string | null, labels: Array<{ key: string, value: string | null }>, versions: { totalCount: number, nodes: Array<{ id: string, name: string, formatType: ModelFormatType | null, labels: Array<{ key: string, value: string | null }> }> } | null } | null };

export type ModelListPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ModelFilter | null | undefined;
}>;


export type ModelListPageQuery = { models: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, domain: string | null, labels: Array<{ key: string, value: string | null }> } }> } | null };

export type NodeCardQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeCardQuery = { node:
    | { __typename: 'Algorithm', name: string, displayName: string | null, id: string }
    | { __typename: 'AlgorithmVersion', name: string, id: string, algorithm: { id: string } | null }
    | { __typename: 'EvalTask', appName: string | null, id: string, taskName: string | null }
    | { __typename: 'Model', name: string, description: string | null, id: string }
    | { __typename: 'ModelVersion', name: string, formatType: ModelFormatType | null, id: string, model: { id: string, name: string } | null }
    | { __typename: 'Service', name: string, status: ServiceStatus | null, id: string }
    | { __typename: 'Tensorboard', displayName: string | null, url: string | null, id: string }
   | null };

export type NodeCardsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type NodeCardsQuery = { nodes: Array<
    | { __typename: 'Algorithm', name: string, id: string }
    | { __typename: 'AlgorithmVersion', name: string, id: string }
    | { __typename: 'EvalTask', id: string, taskName: string | null }
    | { __typename: 'Model', name: string, id: string }
    | { __typename: 'ModelVersion', name: string, id: string }
    | { __typename: 'Service', name: string, id: string }
    | { __typename: 'Tensorboard', displayName: string | null, id: string }
   | null> | null };

export type TensorboardShareLinkQueryVariables = Exact<{
  id: string | number;
  seconds?: number | null | undefined;
}>;


export type TensorboardShareLinkQuery = { tensorboard: { id: string, displayName: string | null, status: TensorboardStatus | null, sharedUrl: string | null } | null };

export type TensorboardStatusSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TensorboardStatusSubscription = { tensorboardChanged: { id: string, displayName: string | null, status: TensorboardStatus | null, reasonMessage: string | null, url: string | null } | null };


export const CreateModelVersionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateModelVersion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateModelVersionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createModelVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelVersion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"formatType"}},{"kind":"Field","name":{"kind":"Name","value":"model"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CreateModelVersionMutation, CreateModelVersionMutationVariables>;
export const DeployModelVersionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeployModelVersion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeployModelVersionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployModelVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"internetEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"totalInstances"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DeployModelVersionMutation, DeployModelVersionMutationVariables>;
export const ServiceStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServiceStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"runningInstances"}},{"kind":"Field","name":{"kind":"Name","value":"pendingInstances"}},{"kind":"Field","name":{"kind":"Name","value":"internetEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"hasAccessToken"}}]}}]}}]} as unknown as DocumentNode<ServiceStatusQuery, ServiceStatusQueryVariables>;
export const AddModelLabelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddModelLabels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddModelLabelsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addModelLabels"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AddModelLabelsMutation, AddModelLabelsMutationVariables>;
export const RemoveModelLabelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveModelLabels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RemoveModelLabelsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeModelLabels"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RemoveModelLabelsMutation, RemoveModelLabelsMutationVariables>;
export const EvalTaskDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EvalTaskDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EvalTaskFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"evalTasks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"samplingRatio"}},{"kind":"Field","name":{"kind":"Name","value":"recordCount"}},{"kind":"Field","name":{"kind":"Name","value":"modelConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hasApiKey"}}]}}]}}]}}]}}]} as unknown as DocumentNode<EvalTaskDashboardQuery, EvalTaskDashboardQueryVariables>;
export const ModelDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"formatType"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ModelDetailQuery, ModelDetailQueryVariables>;
export const ModelListPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelListPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ModelFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ModelListPageQuery, ModelListPageQueryVariables>;
export const NodeCardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeCard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Model"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ModelVersion"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"formatType"}},{"kind":"Field","name":{"kind":"Name","value":"model"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Algorithm"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AlgorithmVersion"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"algorithm"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EvalTask"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"taskName"},"name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tensorboard"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Service"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<NodeCardQuery, NodeCardQueryVariables>;
export const NodeCardsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeCards"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Model"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ModelVersion"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Algorithm"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AlgorithmVersion"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EvalTask"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"taskName"},"name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tensorboard"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Service"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<NodeCardsQuery, NodeCardsQueryVariables>;
export const TensorboardShareLinkDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TensorboardShareLink"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"seconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tensorboard"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sharedUrl"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"expireTimeSeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"seconds"}}}]}]}}]}}]} as unknown as DocumentNode<TensorboardShareLinkQuery, TensorboardShareLinkQueryVariables>;
export const TensorboardStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TensorboardStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tensorboardChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reasonMessage"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]} as unknown as DocumentNode<TensorboardStatusSubscription, TensorboardStatusSubscriptionVariables>;