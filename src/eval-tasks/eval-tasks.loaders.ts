import { ErrorCode, UpstreamError } from '../core/errors.js';
import { listKey, loaderFactory, orNullIfMissing } from '../core/loaders.js';
import { fetchWindow, type Page, type Window } from '../core/pagination.js';
import { EVAL_TASK_MAX_PAGE_SIZE, type EvalTasksApi, type ListEvalResultsQuery, type ListEvalTasksQuery, type ListTaskResultsQuery } from './eval-tasks.api.js';
import { readEvalRecord, type EvalRecord, type EvalTaskDTO, type EvaluationTemplateDTO, type ListEvalResultsResponse } from './eval-tasks.dto.js';

type ListKey = { query: Omit<ListEvalTasksQuery, 'PageNumber' | 'PageSize'>; window: Window };
type TaskResultsKey = { query: Omit<ListTaskResultsQuery, 'PageNumber' | 'PageSize'>; window: Window };
type EvalResultsKey = { query: Omit<ListEvalResultsQuery, 'PageNumber' | 'PageSize'>; window: Window };

/**
 * One item of a results page: the parsed record, or the error of a record that does not
 * parse. GraphQL completes an Error in a list as that item's error (the item reads null with
 * an error whose path ends at its index), so one bad record never fails its page.
 */
export type EvalResultItem = EvalRecord | UpstreamError;

/** The items of one results page, each record read on its own. */
function readPage(action: 'ListOnlineEvalTaskResults' | 'ListEvalResults', res: ListEvalResultsResponse): Page<EvalResultItem> {
  const items = res.EvaluationResults.map((item, i): EvalResultItem => {
    const read = readEvalRecord(item);
    if (read.ok) return read.record;
    return new UpstreamError(ErrorCode.UPSTREAM_CONTRACT, `PaiLLMTrace ${action} answered outside its contract: EvaluationResults[${i}] ${read.problem}`, {
      product: 'PaiLLMTrace',
      action,
      requestId: res.RequestId,
    });
  });
  return { items, totalCount: res.TotalCount };
}

/**
 * Per-request loaders of the eval-task domain. List items lack the last sampling window, so
 * they prime `taskById` (any known state) but not `taskDetail` (GetOnlineEvalTask only).
 */
export function createEvalTaskLoaders(api: EvalTasksApi, onCacheHit?: () => void) {
  const createKeyedLoader = loaderFactory(onCacheHit);
  const taskDetail = createKeyedLoader<string, EvalTaskDTO | null>(async (id) => (await orNullIfMissing(api.get(id)))?.Task ?? null);
  const taskById = createKeyedLoader<string, EvalTaskDTO | null>((id) => taskDetail.load(id));

  const taskList = createKeyedLoader<ListKey, Page<EvalTaskDTO>, string>(
    ({ query, window }) =>
      fetchWindow(window, EVAL_TASK_MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
        const res = await api.list({ ...query, PageNumber, PageSize });
        for (const t of res.Tasks) taskById.prime(t.Id, t);
        return { items: res.Tasks, totalCount: res.TotalCount };
      }),
    { cacheKeyFn: (k) => listKey('', k.query, k.window) },
  );

  /** A task's results: ListOnlineEvalTaskResults with the task id as `EvaluationId`; no GetOnlineEvalTask. */
  const taskResults = createKeyedLoader<TaskResultsKey, Page<EvalResultItem>, string>(
    ({ query, window }) =>
      fetchWindow(window, EVAL_TASK_MAX_PAGE_SIZE, async (PageNumber, PageSize) => readPage('ListOnlineEvalTaskResults', await api.taskResults({ ...query, PageNumber, PageSize }))),
    { cacheKeyFn: (k) => listKey('', k.query, k.window) },
  );

  /** An ad-hoc evaluation's results (ListEvalResults). */
  const evalResults = createKeyedLoader<EvalResultsKey, Page<EvalResultItem>, string>(
    ({ query, window }) => fetchWindow(window, EVAL_TASK_MAX_PAGE_SIZE, async (PageNumber, PageSize) => readPage('ListEvalResults', await api.evalResults({ ...query, PageNumber, PageSize }))),
    { cacheKeyFn: (k) => listKey('', k.query, k.window) },
  );

  /** The judge's templates: the same for every caller, so one key and one call per operation. */
  const templates = createKeyedLoader<'all', EvaluationTemplateDTO[]>(async () => (await api.templates()).EvaluationTemplates);

  return {
    taskById,
    taskDetail,
    taskList,
    taskResults,
    evalResults,
    templates,
    clearAll() {
      taskById.clearAll();
      taskDetail.clearAll();
      taskList.clearAll();
      taskResults.clearAll();
      evalResults.clearAll();
    },
  };
}

export type EvalTaskLoaders = ReturnType<typeof createEvalTaskLoaders>;
