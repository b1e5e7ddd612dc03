import { listKey, loaderFactory, orNullIfMissing } from '../core/loaders.js';
import { fetchWindow, MAX_PAGE_SIZE, type Page, type Window } from '../core/pagination.js';
import type { AlgorithmsApi, ListAlgorithmsQuery } from './algorithms.api.js';
import type { AlgorithmDTO, AlgorithmVersionDTO } from './algorithms.dto.js';

type ListKey = { query: Omit<ListAlgorithmsQuery, 'PageNumber' | 'PageSize'>; window: Window };
type VersionListKey = { algorithmId: string; window: Window };
type VersionKey = { algorithmId: string; name: string };

export const algorithmVersionKey = (algorithmId: string, name: string) => `${algorithmId}/${name}`;

/**
 * Per-request loaders of the algorithm domain. Listed algorithms prime `algorithmById`.
 * Listed versions carry no spec, so they do not prime `versionDetail`: a spec is fetched
 * once per version (GetAlgorithmVersion), and only when asked for.
 */
export function createAlgorithmLoaders(api: AlgorithmsApi, onCacheHit?: () => void) {
  const createKeyedLoader = loaderFactory(onCacheHit);
  /** GetAlgorithm answers, never primed: the only source of fields list items lack (TenantId). */
  const algorithmDetail = createKeyedLoader<string, AlgorithmDTO | null>((id) => orNullIfMissing(api.getAlgorithm(id)));
  /** Any known state of an algorithm: primed by lists, else its detail. */
  const algorithmById = createKeyedLoader<string, AlgorithmDTO | null>((id) => algorithmDetail.load(id));

  const versionDetail = createKeyedLoader<VersionKey, AlgorithmVersionDTO | null, string>(({ algorithmId, name }) => orNullIfMissing(api.getVersion(algorithmId, name)), {
    cacheKeyFn: (k) => algorithmVersionKey(k.algorithmId, k.name),
  });

  const algorithmList = createKeyedLoader<ListKey, Page<AlgorithmDTO>, string>(
    ({ query, window }) =>
      fetchWindow(window, MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
        const res = await api.listAlgorithms({ ...query, PageNumber, PageSize });
        for (const a of res.Algorithms) algorithmById.prime(a.AlgorithmId, a);
        return { items: res.Algorithms, totalCount: res.TotalCount };
      }),
    { cacheKeyFn: (k) => listKey('', k.query, k.window) },
  );

  const versionList = createKeyedLoader<VersionListKey, Page<AlgorithmVersionDTO>, string>(
    ({ algorithmId, window }) =>
      fetchWindow(window, MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
        const res = await api.listVersions(algorithmId, { PageNumber, PageSize });
        return { items: res.AlgorithmVersions.map((v) => ({ ...v, AlgorithmId: v.AlgorithmId || algorithmId })), totalCount: res.TotalCount };
      }),
    { cacheKeyFn: (k) => listKey(k.algorithmId, undefined, k.window) },
  );

  return {
    algorithmById,
    algorithmDetail,
    versionDetail,
    algorithmList,
    versionList,
    clearAll() {
      algorithmById.clearAll();
      algorithmDetail.clearAll();
      versionDetail.clearAll();
      algorithmList.clearAll();
      versionList.clearAll();
    },
  };
}

export type AlgorithmLoaders = ReturnType<typeof createAlgorithmLoaders>;
