import { loaderFactory, orNullIfMissing, stableKey } from '../core/loaders.js';
import { fetchWindow, MAX_PAGE_SIZE, type Page, type Window } from '../core/pagination.js';
import type { TensorboardKey, TensorboardsApi } from './tensorboards.api.js';
import type { TensorboardDTO } from './tensorboards.dto.js';

type ListKey = { query: Record<string, unknown>; window: Window };

/** Per-request loaders of the TensorBoard domain; lists prime `byKey` for their instances. */
export function createTensorboardLoaders(api: TensorboardsApi, onCacheHit?: () => void) {
  const createKeyedLoader = loaderFactory(onCacheHit);
  const byKey = createKeyedLoader<TensorboardKey, TensorboardDTO | null, string>((key) => orNullIfMissing(api.get(key)), { cacheKeyFn: stableKey });

  const list = createKeyedLoader<ListKey, Page<TensorboardDTO>, string>(
    ({ query, window }) =>
      fetchWindow(window, MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
        const res = await api.list({ ...query, PageNumber, PageSize });
        for (const t of res.Tensorboards) byKey.prime({ id: t.TensorboardId }, t);
        return { items: res.Tensorboards, totalCount: res.TotalCount };
      }),
    { cacheKeyFn: stableKey },
  );

  const sharedUrl = createKeyedLoader<{ id: string; expireTimeSeconds: number }, string, string>(async ({ id, expireTimeSeconds }) => (await api.sharedUrl(id, expireTimeSeconds)).TensorboardSharedUrl, {
    cacheKeyFn: stableKey,
  });

  return {
    byKey,
    list,
    sharedUrl,
    clearAll() {
      byKey.clearAll();
      list.clearAll();
      sharedUrl.clearAll();
    },
  };
}

export type TensorboardLoaders = ReturnType<typeof createTensorboardLoaders>;
