import type { ArgumentChecks } from '../core/plugins/argument-checks.js';
import { readWindow, toConnection, type WindowArgs } from '../core/pagination.js';
import { parseInput } from '../core/validation.js';
import type { TensorboardsApi } from './tensorboards.api.js';
import type { TensorboardDTO } from './tensorboards.dto.js';
import { CreateTensorboardInput, expireTimeSeconds, TensorboardFilterInput, TensorboardKeyInput, TensorboardOrderInput, TensorboardRefInput, UpdateTensorboardInput } from './tensorboards.inputs.js';
import type { TensorboardLoaders } from './tensorboards.loaders.js';

/** What a TensorBoard payload holds until its `tensorboard` field is asked for. */
export type TensorboardRef = { id: string; workspaceId?: string | undefined };

const expireTimeArg = (seconds: unknown) => parseInput(expireTimeSeconds, seconds ?? 86_400, 'expireTimeSeconds');

/** Checks of nested fields' arguments, run before execution (see core/plugins/argument-checks.ts). */
export const tensorboardArgumentChecks: ArgumentChecks = {
  'Tensorboard.sharedUrl': (args) => expireTimeArg(args.expireTimeSeconds),
};

/** What resolvers of the TensorBoard domain call. */
export function createTensorboardsService(api: TensorboardsApi, loaders: TensorboardLoaders) {
  const ref = (id: string, workspaceId?: string): TensorboardRef => (workspaceId ? { id, workspaceId } : { id });
  return {
    // Async so a bad id rejects rather than throws (see models.service.ts).
    tensorboard: async (args: { id: string; workspaceId?: string | null; jobId?: string | null }): Promise<TensorboardDTO | null> =>
      loaders.byKey.load(parseInput(TensorboardKeyInput, args, '')),

    async list(args: WindowArgs & { filter?: unknown; orderBy?: unknown }) {
      const window = readWindow(args);
      const query = { ...parseInput(TensorboardFilterInput, args.filter, 'filter'), ...parseInput(TensorboardOrderInput, args.orderBy, 'orderBy') };
      return toConnection(window, await loaders.list.load({ query, window }));
    },

    sharedUrl: (id: string, seconds: number | null | undefined) =>
      loaders.sharedUrl.load({ id, expireTimeSeconds: expireTimeArg(seconds) }),

    async createTensorboard(input: unknown): Promise<TensorboardRef> {
      const body = parseInput(CreateTensorboardInput, input, 'input');
      const { TensorboardId } = await api.create(body);
      loaders.clearAll();
      return ref(TensorboardId, body.WorkspaceId);
    },

    async startTensorboard(input: unknown): Promise<TensorboardRef> {
      const { id, workspaceId } = parseInput(TensorboardRefInput, input, 'input');
      await api.start(id, workspaceId);
      loaders.clearAll();
      return ref(id, workspaceId);
    },

    async stopTensorboard(input: unknown): Promise<TensorboardRef> {
      const { id, workspaceId } = parseInput(TensorboardRefInput, input, 'input');
      await api.stop(id, workspaceId);
      loaders.clearAll();
      return ref(id, workspaceId);
    },

    async updateTensorboard(input: unknown): Promise<TensorboardRef> {
      const { id, query } = parseInput(UpdateTensorboardInput, input, 'input');
      await api.update(id, query);
      loaders.clearAll();
      return ref(id, query.WorkspaceId);
    },

    async deleteTensorboard(input: unknown) {
      const { id, workspaceId } = parseInput(TensorboardRefInput, input, 'input');
      await api.delete(id, workspaceId);
      loaders.clearAll();
      return { deletedId: id };
    },
  };
}

export type TensorboardsService = ReturnType<typeof createTensorboardsService>;
