/** TensorBoard statuses; PAI sends them in varying case (`Running`, `running`), normalised on read. */
export enum TensorboardStatus {
  CREATING = 'CREATING',
  RUNNING = 'RUNNING',
  STOPPED = 'STOPPED',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** The spelling ListTensorboards' Status filter documents. */
export const STATUS_FILTER_VALUES: Record<TensorboardStatus, string> = {
  CREATING: 'Creating',
  RUNNING: 'Running',
  STOPPED: 'Stopped',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
};

export enum TensorboardOrderField {
  DISPLAY_NAME = 'DisplayName',
  CREATED_AT = 'GmtCreateTime',
}
