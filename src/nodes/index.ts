import type { CostModel } from '../core/plugins/cost.js';
import { ARGUMENT_LIMITS } from '../core/plugins/argument-limits.js';

export { nodeResolvers } from './nodes.resolvers.js';
export { readGlobalId, type GlobalId } from './nodes.ids.js';

const idCount = (a: Record<string, unknown>) => (Array.isArray(a.ids) ? Math.min(a.ids.length, ARGUMENT_LIMITS.maxList) : 1);

/**
 * Upstream calls per field, for the cost estimate (see core/plugins/cost.ts): one read per id
 * (a service by id is one ListServices), children costed once per id.
 */
export const nodeCosts: CostModel = {
  'Query.node': { calls: () => 1 },
  'Query.nodes': { calls: idCount, items: idCount },
};
