import type { ArgumentChecks } from '../core/plugins/argument-checks.js';
import { readWindow, toConnection } from '../core/pagination.js';
import { parseInput } from '../core/validation.js';
import type { AlgorithmsApi } from './algorithms.api.js';
import type { AlgorithmDTO, AlgorithmVersionDTO } from './algorithms.dto.js';
import { AlgorithmFilterInput, algorithmId, AlgorithmVersionInput, CreateAlgorithmInput, DeleteAlgorithmInput, DeleteAlgorithmVersionInput, UpdateAlgorithmInput, versionName } from './algorithms.inputs.js';
import { algorithmVersionKey, type AlgorithmLoaders } from './algorithms.loaders.js';
import { toAlgorithmSpec } from './algorithms.spec.js';

/** What an algorithm payload holds until its `algorithm` field is asked for. */
export type AlgorithmRef = { algorithmId: string };
/** What an algorithm-version payload holds until its `algorithmVersion` field is asked for. */
export type AlgorithmVersionRef = { algorithmId: string; name: string };

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

const versionArg = (name: unknown) => parseInput(versionName, name, 'name');

/** Checks of nested fields' arguments, run before execution (see core/plugins/argument-checks.ts). */
export const algorithmArgumentChecks: ArgumentChecks = {
  'Algorithm.versions': (args) => readWindow(args),
  'Algorithm.version': (args) => versionArg(args.name),
};

/** What resolvers of the algorithm domain call. */
export function createAlgorithmsService(api: AlgorithmsApi, loaders: AlgorithmLoaders) {
  return {
    // Async so a bad id rejects rather than throws (see models.service.ts).
    algorithm: async (id: string): Promise<AlgorithmDTO | null> => loaders.algorithmById.load(parseInput(algorithmId, id, 'id')),

    /** A field only GetAlgorithm has; served from the parent when it has it. */
    async tenantId(a: AlgorithmDTO): Promise<string | null> {
      if (a.TenantId) return a.TenantId;
      return (await loaders.algorithmDetail.load(a.AlgorithmId))?.TenantId ?? null;
    },

    async list(args: PageArgs & { filter?: unknown }) {
      const window = readWindow(args);
      const query = parseInput(AlgorithmFilterInput, args.filter, 'filter');
      return toConnection(window, await loaders.algorithmList.load({ query, window }));
    },

    async versions(id: string, args: PageArgs) {
      const window = readWindow(args);
      return toConnection(window, await loaders.versionList.load({ algorithmId: id, window }));
    },

    /** `id` comes from a parent algorithm, or from a router's reference: checked like any id. */
    version: async (id: string, name: string): Promise<AlgorithmVersionDTO | null> => loaders.versionDetail.load({ algorithmId: parseInput(algorithmId, id, 'algorithm.id'), name: versionArg(name) }),

    /** The spec of a version: from the parent if it carries one, else one deduplicated GetAlgorithmVersion. */
    async spec(v: AlgorithmVersionDTO) {
      const spec = v.AlgorithmSpec ?? (await loaders.versionDetail.load({ algorithmId: v.AlgorithmId, name: v.AlgorithmVersion }))?.AlgorithmSpec;
      return spec ? toAlgorithmSpec(spec) : null;
    },

    async createAlgorithm(input: unknown): Promise<AlgorithmRef> {
      const body = parseInput(CreateAlgorithmInput, input, 'input');
      const { AlgorithmId } = await api.createAlgorithm(body);
      loaders.clearAll();
      return { algorithmId: AlgorithmId };
    },

    async updateAlgorithm(input: unknown): Promise<AlgorithmRef> {
      const { id, body } = parseInput(UpdateAlgorithmInput, input, 'input');
      await api.updateAlgorithm(id, body);
      loaders.clearAll();
      return { algorithmId: id };
    },

    async deleteAlgorithm(input: unknown) {
      const { id } = parseInput(DeleteAlgorithmInput, input, 'input');
      await api.deleteAlgorithm(id);
      loaders.clearAll();
      return { deletedId: id };
    },

    async createAlgorithmVersion(input: unknown): Promise<AlgorithmVersionRef> {
      const { algorithmId: id, name, spec } = parseInput(AlgorithmVersionInput, input, 'input');
      await api.createVersion(id, name, spec);
      loaders.clearAll();
      return { algorithmId: id, name };
    },

    async updateAlgorithmVersion(input: unknown): Promise<AlgorithmVersionRef> {
      const { algorithmId: id, name, spec } = parseInput(AlgorithmVersionInput, input, 'input');
      await api.updateVersion(id, name, spec);
      loaders.clearAll();
      return { algorithmId: id, name };
    },

    async deleteAlgorithmVersion(input: unknown) {
      const { algorithmId: id, name } = parseInput(DeleteAlgorithmVersionInput, input, 'input');
      await api.deleteVersion(id, name);
      loaders.clearAll();
      return { deletedId: algorithmVersionKey(id, name) };
    },
  };
}

export type AlgorithmsService = ReturnType<typeof createAlgorithmsService>;
