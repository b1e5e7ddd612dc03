/** GraphQL enum names (keys) and PaiLLMTrace's strings (values). */
export enum EvalTaskStatus {
  CREATED = 'CREATED',
  RUNNING = 'RUNNING',
  FINISHED = 'FINISHED',
  USER_CANCELED = 'USER_CANCELED',
}

export enum EvalTaskFilterKey {
  STATUS = 'Status',
  SPAN_NAME = 'SpanName',
  INPUT = 'Input',
  TRACE_TYPE = 'TraceType',
  SPAN_TYPE = 'SpanType',
  SERVICE_NAME = 'ServiceName',
  OUTPUT = 'Output',
  TRACE_NAME = 'TraceName',
  SERVICE_ID = 'ServiceId',
}

export enum EvalTaskFilterOperator {
  EQUALS = '=',
  STARTS_WITH = 'StartsWith',
  CONTAINS = 'Contains',
}

export enum EvalTaskSamplingMethod {
  WINDOW = 'Window',
  RATIO = 'Ratio',
}

export enum EvalTaskOrderField {
  ID = 'TaskId',
  CREATED_AT = 'CreateTime',
  NAME = 'TaskName',
  STATUS = 'Status',
}
