import { loaderFactory, orNullIfMissing, stableKey } from '../core/loaders.js';
import { fetchWindow, type Page, type Window } from '../core/pagination.js';
import { EVAL_TASK_MAX_PAGE_SIZE, type EvalTasksApi, type ListEvalTasksQuery } from './eval-tasks.api.js';
import type { EvalTaskDTO } from './eval-tasks.dto.js';

type ListKey = { query: Omit<ListEvalTasksQuery, 'PageNumber' | 'PageSize'>; window: Window };

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
    { cacheKeyFn: stableKey },
  );

  return {
    taskById,
    taskDetail,
    taskList,
    clearAll() {
      taskById.clearAll();
      taskDetail.clearAll();
      taskList.clearAll();
    },
  };
}

export type EvalTaskLoaders = ReturnType<typeof createEvalTaskLoaders>;
