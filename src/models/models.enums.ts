/**
 * GraphQL enum values (keys) and the strings PAI uses for them (values). The schema's enum
 * resolvers are these objects, so arguments arrive as PAI strings and PAI strings serialise
 * back to the GraphQL names.
 */
export enum ModelFormatType {
  OFFLINE_MODEL = 'OfflineModel',
  SAVED_MODEL = 'SavedModel',
  KERAS_H5 = 'Keras H5',
  FROZEN_PB = 'Frozen Pb',
  CAFFE_PROTOTXT = 'Caffe Prototxt',
  TORCH_SCRIPT = 'TorchScript',
  XGBOOST = 'XGBoost',
  PMML = 'PMML',
  ALINK_MODEL = 'AlinkModel',
  ONNX = 'ONNX',
}

export enum ModelFrameworkType {
  PYTORCH = 'Pytorch',
  XGBOOST = 'XGBoost',
  KERAS = 'Keras',
  CAFFE = 'Caffe',
  ALINK = 'Alink',
  XFLOW = 'Xflow',
  TENSORFLOW = 'TensorFlow',
}

export enum ModelApprovalStatus {
  PENDING = 'Pending',
  APPROVED = 'Approved',
  REJECTED = 'Rejected',
}

export enum ModelSourceType {
  CUSTOM = 'Custom',
  PAIFLOW = 'PAIFlow',
  TRAINING_SERVICE = 'TrainingService',
}

export enum ModelOrderField {
  CREATED_AT = 'GmtCreateTime',
}

export enum ModelVersionOrderField {
  CREATED_AT = 'GmtCreateTime',
}
