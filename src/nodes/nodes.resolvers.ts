import type { Resolvers, ResolversInterfaceTypes, ResolversTypes } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { readGlobalId, type GlobalId, type NodeTypeName } from './nodes.ids.js';

/** What a Node field holds: one of the domains' DTOs. */
type NodeValue = ResolversInterfaceTypes<ResolversTypes>['Node'];

/** A fetched object with the name of its type, which is how `Node` resolves to a type. */
type Tagged = NodeValue & { readonly __typename: NodeTypeName };

const tag = (type: NodeTypeName, value: NodeValue | null): Tagged | null => (value ? { ...value, __typename: type } : null);

/** Through the owning domain's service and per-request loaders, like every other read. */
async function load(ref: GlobalId, ctx: Context): Promise<Tagged | null> {
  switch (ref.type) {
    case 'Model':
      return tag(ref.type, await ctx.models.model(ref.id));
    case 'ModelVersion':
      return tag(ref.type, await ctx.models.version(ref.modelId, ref.name));
    case 'Algorithm':
      return tag(ref.type, await ctx.algorithms.algorithm(ref.id));
    case 'AlgorithmVersion':
      return tag(ref.type, await ctx.algorithms.version(ref.algorithmId, ref.name));
    case 'EvalTask':
      return tag(ref.type, await ctx.evalTasks.task(ref.id));
    case 'Tensorboard':
      return tag(ref.type, await ctx.tensorboards.tensorboard({ id: ref.id }));
    case 'Service':
      return tag(ref.type, await ctx.services.serviceById(ref.id));
  }
}

/**
 * Every id is read before anything is fetched, so one bad id costs no upstream call; then the
 * objects load together, and one failing read nulls only its own item (an Error item becomes
 * that item's error).
 */
async function loadAll(ids: readonly string[], ctx: Context): Promise<(Tagged | Error | null)[]> {
  const refs = ids.map((id, i) => readGlobalId(id, `ids[${i}]`));
  return Promise.all(refs.map((ref) => load(ref, ctx).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
}

export const nodeResolvers: Resolvers = {
  Query: {
    node: (_p, { id }, ctx) => load(readGlobalId(id, 'id'), ctx),
    // graphql-js completes an Error item as that item's error; the generated type cannot say so.
    nodes: (_p, { ids }, ctx) => loadAll(ids, ctx) as Promise<(NodeValue | null)[]>,
  },
  Node: {
    __resolveType: (node) => (node as Tagged).__typename,
  },
};
