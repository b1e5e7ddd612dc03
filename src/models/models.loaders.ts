import { listKey, loaderFactory, orNullIfMissing } from '../core/loaders.js';
import { withFields } from '../core/objects.js';
import { fetchWindow, MAX_PAGE_SIZE, type Page, type Window } from '../core/pagination.js';
import type { ListModelsQuery, ListModelVersionsQuery, ModelsApi } from './models.api.js';
import type { ModelDTO, ModelVersionDTO, ModelVersionRecord } from './models.dto.js';

/** Largest PageSize AIWorkSpace list calls accept. */
const UPSTREAM_MAX_PAGE_SIZE = MAX_PAGE_SIZE;

type ModelListKey = { query: Omit<ListModelsQuery, 'PageNumber' | 'PageSize'>; window: Window };
type VersionListKey = { modelId: string; query: Omit<ListModelVersionsQuery, 'PageNumber' | 'PageSize'>; window: Window };
type VersionKey = { modelId: string; name: string };

export const versionKey = (modelId: string, name: string) => `${modelId}/${name}`;

/**
 * A parsed version as the record of its model: the model's id written onto it, in place. The
 * parsed answer belongs to that model whoever else holds it (an identical read it was shared
 * with, or the read cache), since the model's id is in the request's path, so every holder
 * would write the same value. Copying a 21-field version to add one field cost more than the
 * rest of listing it.
 */
export function ownedBy(version: ModelVersionDTO, modelId: string): ModelVersionRecord {
  const record = version as ModelVersionDTO & { ModelId?: string };
  if (record.ModelId !== modelId) record.ModelId = modelId;
  return record as ModelVersionRecord;
}

/**
 * The model domain's per-request loaders. Lists prime the by-id loaders, so a model or
 * version already seen in this operation is never fetched again.
 */
export function createModelLoaders(api: ModelsApi, onCacheHit?: () => void) {
  const createKeyedLoader = loaderFactory(onCacheHit);
  const versionByKey = createKeyedLoader<VersionKey, ModelVersionRecord | null, string>(
    async ({ modelId, name }) => {
      const dto = await orNullIfMissing(api.getModelVersion(modelId, name));
      return dto ? ownedBy(dto, modelId) : null;
    },
    { cacheKeyFn: (k) => versionKey(k.modelId, k.name) },
  );

  const primeLatestVersion = (m: ModelDTO) => {
    if (m.LatestVersion) versionByKey.prime({ modelId: m.ModelId, name: m.LatestVersion.VersionName }, ownedBy(m.LatestVersion, m.ModelId));
  };

  const modelById = createKeyedLoader<string, ModelDTO | null>(async (id) => {
    const model = await orNullIfMissing(api.getModel(id));
    if (model) primeLatestVersion(model);
    return model;
  });

  const primeModel = (m: ModelDTO) => {
    modelById.prime(m.ModelId, m);
    primeLatestVersion(m);
  };

  const modelList = createKeyedLoader<ModelListKey, Page<ModelDTO>, string>(
    async ({ query, window }) => {
      const page = await fetchWindow(window, UPSTREAM_MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
        const res = await api.listModels(withFields(query, { PageNumber, PageSize }));
        res.Models.forEach(primeModel);
        return { items: res.Models, totalCount: res.TotalCount };
      });
      return page;
    },
    { cacheKeyFn: (k) => listKey('', k.query, k.window) },
  );

  const versionList = createKeyedLoader<VersionListKey, Page<ModelVersionRecord>, string>(
    ({ modelId, query, window }) =>
      fetchWindow(window, UPSTREAM_MAX_PAGE_SIZE, async (PageNumber, PageSize) => {
        const res = await api.listModelVersions(modelId, withFields(query, { PageNumber, PageSize }));
        const items = res.Versions.map((v) => ownedBy(v, modelId));
        for (const v of items) versionByKey.prime({ modelId, name: v.VersionName }, v);
        return { items, totalCount: res.TotalCount };
      }),
    { cacheKeyFn: (k) => listKey(k.modelId, k.query, k.window) },
  );

  return {
    modelById,
    versionByKey,
    modelList,
    versionList,
    /** After a write: everything this request read may be stale. */
    clearAll() {
      modelById.clearAll();
      versionByKey.clearAll();
      modelList.clearAll();
      versionList.clearAll();
    },
  };
}

export type ModelLoaders = ReturnType<typeof createModelLoaders>;
