import type { ArgumentChecks } from '../core/plugins/argument-checks.js';
import { readWindow, toConnection, type ListArgs } from '../core/pagination.js';
import { parseInput } from '../core/validation.js';
import type { ModelsApi } from './models.api.js';
import type { ModelDTO, ModelVersionRecord } from './models.dto.js';
import {
  AddModelLabelsInput,
  AddModelVersionLabelsInput,
  CreateModelInput,
  CreateModelVersionInput,
  DeleteModelInput,
  DeleteModelVersionInput,
  ModelFilterInput,
  ModelVersionFilterInput,
  OrderInput,
  RemoveModelLabelsInput,
  RemoveModelVersionLabelsInput,
  UpdateModelInput,
  UpdateModelVersionInput,
  modelId,
  versionName,
} from './models.inputs.js';
import { versionKey, type ModelLoaders } from './models.loaders.js';

/** `Model.versions` arguments: the window wanted and the upstream query. */
const versionsArgs = (args: ListArgs) => ({
  window: readWindow(args),
  // Without filter or order (the usual nested list) there is nothing to check or send.
  query: args.filter == null && args.orderBy == null ? {} : { ...parseInput(ModelVersionFilterInput, args.filter, 'filter'), ...parseInput(OrderInput, args.orderBy, 'orderBy') },
});
const versionArg = (name: unknown) => parseInput(versionName, name, 'name');

/** Checks of nested fields' arguments, run before execution (see core/plugins/argument-checks.ts). */
export const modelArgumentChecks: ArgumentChecks = {
  'Model.versions': versionsArgs,
  'Model.version': (args) => versionArg(args.name),
};

/**
 * What resolvers of the model domain call: reads go through the loaders, writes validate
 * their input, make one upstream call and drop what this request had read, so a payload
 * resolves the changed object afresh (and only if the client selected it).
 */
export function createModelsService(api: ModelsApi, loaders: ModelLoaders) {
  const modelRef = (id: string) => ({ modelId: id });
  const versionRef = (modelId: string, name: string) => ({ modelId, name });
  const loadVersions = async (modelId: string, args: ListArgs) => {
    const { window, query } = versionsArgs(args);
    return loaders.versionList.load({ modelId, query, window });
  };

  return {
    loaders,

    // Lookups are async so a bad id rejects rather than throws: a router's batch of references
    // (`_entities`) then nulls only the bad one.
    model: async (id: string): Promise<ModelDTO | null> => loaders.modelById.load(parseInput(modelId, id, 'id')),

    /**
     * `Query.model`: the model, and the version lists selected under it (`versionsArgs`, one per
     * selection) started at the same time rather than after GetModel answers. Their id is the
     * argument, so they do not need the model; `Model.versions` then finds them in the loader.
     * For a model that does not exist the early list is one wasted call, whose error nobody
     * reads (the model is null and its versions are never resolved).
     */
    async modelWithVersions(id: string, versionsSelected: readonly ListArgs[]): Promise<ModelDTO | null> {
      const checked = parseInput(modelId, id, 'id');
      const model = loaders.modelById.load(checked);
      for (const args of versionsSelected) loadVersions(checked, args).catch(() => undefined);
      return model;
    },

    async list(args: ListArgs) {
      const window = readWindow(args);
      const query = { ...parseInput(ModelFilterInput, args.filter, 'filter'), ...parseInput(OrderInput, args.orderBy, 'orderBy') };
      return toConnection(window, await loaders.modelList.load({ query, window }));
    },

    async versions(modelId: string, args: ListArgs) {
      const { window } = versionsArgs(args);
      return toConnection(window, await loadVersions(modelId, args));
    },

    /** `modelId` comes from a parent model, or from a router's reference: checked like any id. */
    version: async (id: string, name: string): Promise<ModelVersionRecord | null> =>
      loaders.versionByKey.load({ modelId: parseInput(modelId, id, 'model.id'), name: versionArg(name) }),

    async createModel(input: unknown) {
      const body = parseInput(CreateModelInput, input, 'input');
      const { ModelId } = await api.createModel(body);
      loaders.clearAll();
      return modelRef(ModelId);
    },

    async updateModel(input: unknown) {
      const { modelId, body } = parseInput(UpdateModelInput, input, 'input');
      await api.updateModel(modelId, body);
      loaders.clearAll();
      return modelRef(modelId);
    },

    async deleteModel(input: unknown) {
      const { id } = parseInput(DeleteModelInput, input, 'input');
      await api.deleteModel(id);
      loaders.clearAll();
      return { deletedId: id };
    },

    async createModelVersion(input: unknown) {
      const { modelId, body } = parseInput(CreateModelVersionInput, input, 'input');
      const { VersionName } = await api.createModelVersion(modelId, body);
      loaders.clearAll();
      return versionRef(modelId, VersionName);
    },

    async updateModelVersion(input: unknown) {
      const { modelId, name, body } = parseInput(UpdateModelVersionInput, input, 'input');
      await api.updateModelVersion(modelId, name, body);
      loaders.clearAll();
      return versionRef(modelId, name);
    },

    async deleteModelVersion(input: unknown) {
      const { modelId, name } = parseInput(DeleteModelVersionInput, input, 'input');
      await api.deleteModelVersion(modelId, name);
      loaders.clearAll();
      return { deletedId: versionKey(modelId, name) };
    },

    async addModelLabels(input: unknown) {
      const { modelId, labels } = parseInput(AddModelLabelsInput, input, 'input');
      await api.createModelLabels(modelId, labels);
      loaders.clearAll();
      return modelRef(modelId);
    },

    async removeModelLabels(input: unknown) {
      const { modelId, keys } = parseInput(RemoveModelLabelsInput, input, 'input');
      await api.deleteModelLabels(modelId, keys);
      loaders.clearAll();
      return modelRef(modelId);
    },

    async addModelVersionLabels(input: unknown) {
      const { modelId, name, labels } = parseInput(AddModelVersionLabelsInput, input, 'input');
      await api.createModelVersionLabels(modelId, name, labels);
      loaders.clearAll();
      return versionRef(modelId, name);
    },

    async removeModelVersionLabels(input: unknown) {
      const { modelId, name, keys } = parseInput(RemoveModelVersionLabelsInput, input, 'input');
      await api.deleteModelVersionLabels(modelId, name, keys);
      loaders.clearAll();
      return versionRef(modelId, name);
    },
  };
}

export type ModelsService = ReturnType<typeof createModelsService>;

/** What a model payload holds until its `model` field is asked for. */
export type ModelRef = { modelId: string };
/** What a model-version payload holds until its `modelVersion` field is asked for. */
export type ModelVersionRef = { modelId: string; name: string };
