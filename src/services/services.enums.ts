/**
 * EAS service statuses (upstream-contract 12.6): the union of the Service.Status doc and the
 * ListServices filter, PascalCase upstream. GraphQL names (keys) and EAS strings (values).
 */
export enum ServiceStatus {
  CREATING = 'Creating',
  DEPLOYING = 'Deploying',
  WAITING = 'Waiting',
  PENDING = 'Pending',
  STARTING = 'Starting',
  RUNNING = 'Running',
  SCALING = 'Scaling',
  UPDATING = 'Updating',
  HOT_UPDATE = 'HotUpdate',
  STOPPING = 'Stopping',
  STOPPED = 'Stopped',
  DELETING = 'Deleting',
  DELETE_FAILED = 'DeleteFailed',
  DELETED = 'Deleted',
  FAILED = 'Failed',
  COMPLETE = 'Complete',
  CLONING = 'Cloning',
  COMMITTING = 'Committing',
  DEVELOPING = 'Developing',
}

/** What ListServices sorts by (`Sort`). */
export enum ServiceOrderField {
  CREATED_AT = 'CreateTime',
}
