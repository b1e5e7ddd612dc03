import { createBatchLoader, listKey, loaderFactory, orNullIfMissing, stableKey } from '../core/loaders.js';
import { fetchWindow, sliceWindow, type Page, type Window } from '../core/pagination.js';
import { SERVICE_MAX_PAGE_SIZE, type ListServicesQuery, type ServicesApi } from './services.api.js';
import type { ServiceRecord } from './services.dto.js';
import { MODEL_LABEL, VERSION_LABEL } from './services.inputs.js';

type ListKey = { query: Omit<ListServicesQuery, 'PageNumber' | 'PageSize'>; window: Window };
/** The services deployed from one model version, a window of them. */
export type VersionServicesKey = { modelId: string; versionName: string; window: Window };

const labelOf = (s: ServiceRecord, key: string) => s.Labels.find((l) => l.LabelKey === key)?.LabelValue ?? undefined;

/**
 * Per-request loaders of the service domain. List items lack the endpoints and RoleAttrs, so
 * they prime `byName` (any known state) but not `detail` (DescribeService only).
 *
 * `byVersion` answers `ModelVersion.services` for every version asked in one tick: the
 * versions of one model share one ListServices filtered by the model's label (pai-graph labels
 * each deployment with its model id and version name), grouped by the version label. A model
 * with more services than one page holds falls back to one exactly filtered list per version.
 */
export function createServiceLoaders(api: ServicesApi, onCacheHit?: () => void) {
  const createKeyedLoader = loaderFactory(onCacheHit);
  const detail = createKeyedLoader<string, ServiceRecord | null>((name) => orNullIfMissing(api.describe(name)));
  const byName = createKeyedLoader<string, ServiceRecord | null>((name) => detail.load(name));
  /**
   * By id (EAS `ServiceUid`, which equals `ServiceId`): DescribeService takes only names, so
   * one ListServices filtered by the uid. Only an exact match counts, should EAS ever ignore
   * the filter.
   */
  const byUid = createKeyedLoader<string, ServiceRecord | null>(async (uid) => {
    const res = await api.list({ ServiceUid: uid, PageNumber: 1, PageSize: 1 });
    const found = res.Services.find((s) => s.ServiceId === uid || s.ServiceUid === uid) ?? null;
    if (found) byName.prime(found.ServiceName, found);
    return found;
  });
  const prime = (s: ServiceRecord) => {
    byName.prime(s.ServiceName, s);
    if (s.ServiceId) byUid.prime(s.ServiceId, s);
  };

  const fetchList = (query: ListKey['query'], window: Window) =>
    fetchWindow(window, SERVICE_MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
      const res = await api.list({ ...query, PageNumber, PageSize });
      res.Services.forEach(prime);
      return { items: res.Services, totalCount: res.TotalCount };
    });

  const list = createKeyedLoader<ListKey, Page<ServiceRecord>, string>(({ query, window }) => fetchList(query, window), { cacheKeyFn: (k) => listKey('', k.query, k.window) });

  /** One version's services, filtered exactly by both labels. */
  const ofVersion = ({ modelId, versionName, window }: VersionServicesKey) => fetchList({ Label: { [MODEL_LABEL]: modelId, [VERSION_LABEL]: versionName } }, window);

  /** Several versions of one model: one list by the model's label when one page holds it all. */
  async function ofModel(modelId: string, keys: readonly VersionServicesKey[]): Promise<Page<ServiceRecord>[]> {
    const res = await api.list({ Label: { [MODEL_LABEL]: modelId }, PageNumber: 1, PageSize: SERVICE_MAX_PAGE_SIZE });
    res.Services.forEach(prime);
    if (res.TotalCount > res.Services.length) return Promise.all(keys.map(ofVersion));
    return keys.map((k) => sliceWindow(res.Services.filter((s) => labelOf(s, VERSION_LABEL) === k.versionName), k.window));
  }

  const byVersion = createBatchLoader<VersionServicesKey, Page<ServiceRecord>, string>(
    async (keys) => {
      const models = new Map<string, VersionServicesKey[]>();
      for (const k of keys) models.set(k.modelId, [...(models.get(k.modelId) ?? []), k]);
      const answers = new Map<VersionServicesKey, Page<ServiceRecord> | Error>();
      await Promise.all(
        [...models].map(async ([modelId, group]) => {
          try {
            const pages = group.length === 1 ? [await ofVersion(group[0]!)] : await ofModel(modelId, group);
            group.forEach((k, i) => answers.set(k, pages[i]!));
          } catch (err) {
            // One model's failure nulls only its versions' fields.
            for (const k of group) answers.set(k, err instanceof Error ? err : new Error(String(err)));
          }
        }),
      );
      return keys.map((k) => answers.get(k)!);
    },
    { cacheKeyFn: stableKey, onHit: onCacheHit },
  );

  return {
    byName,
    byUid,
    detail,
    list,
    byVersion,
    /** After a write: everything this request read may be stale. */
    clearAll() {
      byName.clearAll();
      byUid.clearAll();
      detail.clearAll();
      list.clearAll();
      byVersion.clearAll();
    },
  };
}

export type ServiceLoaders = ReturnType<typeof createServiceLoaders>;
