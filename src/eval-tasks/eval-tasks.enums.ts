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

/** The kind of application an evaluation judges (`eval_app_type`). */
export enum EvalAppType {
  QA = 'qa',
  RAG = 'rag',
}

/**
 * `eval_app_type` as the enum reader compares it: PAI's template example writes the Python
 * enum's name (`EvalAppType.RAG`) where records write `qa`, so the class prefix is dropped.
 */
export const evalAppTypeSpelling = (raw: string | null | undefined): string | null | undefined => raw?.replace(/^\s*EvalAppType\./i, '');
