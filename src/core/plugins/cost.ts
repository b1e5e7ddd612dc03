import {
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Query cost in upstream calls, estimated before execution from the document and its
 * variables (lists multiply their children by `first`), in the spirit of Shopify's calculated
 * query cost; and the per-caller budgets the estimates are charged to.
 */

export interface FieldCost {
  /** Upstream calls the field makes for each parent object (default 0). */
  readonly calls?: (args: Record<string, unknown>) => number;
  /** How many objects its children are resolved for (lists: `first`; default 1). */
  readonly items?: (args: Record<string, unknown>) => number;
  /** Fields with the same key under one parent share one upstream call. */
  readonly shared?: string;
}

/** Field costs by schema coordinate (`Model.versions`). Fields not listed cost nothing. */
export type CostModel = Readonly<Record<string, FieldCost>>;

/** A connection field: one call per upstream page of `pageSize`, children resolved `first` times. */
export const connectionCost = (pageSize: number, defaultFirst = 10): FieldCost => ({
  calls: (a) => Math.max(1, Math.ceil(Number(a.first ?? defaultFirst) / pageSize)),
  items: (a) => Number(a.first ?? defaultFirst),
});
export const ONE_CALL: FieldCost = { calls: () => 1 };

/** Told about every non-root field of the operation once, with its argument values. */
export type NestedFieldVisitor = (coordinate: string, args: Record<string, unknown>, node: FieldNode) => void;

/**
 * The estimated upstream calls of an operation. `onNestedField` sees each field below the root
 * once (fragments are walked once however often they are spread), so checks of nested
 * arguments ride on this one walk instead of walking the operation again.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  model: CostModel,
  onNestedField?: NestedFieldVisitor,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();

  // Cost per parent object of a selection set; linear in the parent count, so fragments are
  // costed once and reused (no blow-up however often they are spread).
  const unit = (type: GraphQLNamedType | null | undefined, set: SelectionSetNode, shared: Set<string>): number => {
    if (!type) return 0;
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        total += unit(s.typeCondition ? schema.getType(s.typeCondition.name.value) : type, s.selectionSet, shared);
      } else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (!f) continue;
        if (!memo.has(f.name.value)) {
          memo.set(f.name.value, 0); // cycles are refused by validation; this only guards
          memo.set(f.name.value, unit(schema.getType(f.typeCondition.name.value), f.selectionSet, new Set()));
        }
        total += memo.get(f.name.value)!;
      } else if (isObjectType(type) || isInterfaceType(type)) {
        const field = type.getFields()[s.name.value];
        if (!field) continue;
        const coordinate = `${type.name}.${field.name}`;
        const cost = model[coordinate];
        let args: Record<string, unknown> | undefined;
        try {
          args = getArgumentValues(field, s, variables);
        } catch {
          // bad arguments are reported by execution
        }
        if (args && type !== root) onNestedField?.(coordinate, args, s);
        args ??= {};
        if (cost?.calls && !(cost.shared && shared.has(cost.shared))) {
          total += cost.calls(args);
          if (cost.shared) shared.add(cost.shared);
        }
        if (s.selectionSet) total += (cost?.items?.(args) ?? 1) * unit(getNamedType(field.type), s.selectionSet, new Set());
      }
    }
    return total;
  };
  return unit(root, operation.selectionSet, new Set());
}

/** What `extensions.cost.throttleStatus` says about the caller's budget. */
export interface ThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

/**
 * Per-caller budgets of upstream calls, as leaky buckets in the manner of Shopify's calculated
 * query cost: each caller holds up to `maximum` calls, an operation takes its estimate out, and
 * the bucket refills continuously at `restoreRate` calls per second. A charge that does not
 * fit takes nothing and says when it would. Pure arithmetic over an injected clock.
 */
export function createCallerBudgets(opts: { maximum: number; restoreRate: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const buckets = new Map<string, { available: number; at: number }>();
  const status = (available: number): ThrottleStatus => ({ maximumAvailable: opts.maximum, currentlyAvailable: Math.max(0, Math.floor(available)), restoreRate: opts.restoreRate });

  const level = (caller: string, at: number): number => {
    const b = buckets.get(caller);
    return b ? Math.min(opts.maximum, b.available + ((at - b.at) / 1000) * opts.restoreRate) : opts.maximum;
  };

  return {
    full: (): ThrottleStatus => status(opts.maximum),
    async charge(caller: string, cost: number): Promise<{ ok: true; status: ThrottleStatus } | { ok: false; status: ThrottleStatus; retryAfterSeconds: number }> {
      const at = now();
      const available = level(caller, at);
      if (available < cost) {
        return { ok: false, status: status(available), retryAfterSeconds: Math.max(1, Math.ceil((cost - available) / opts.restoreRate)) };
      }
      buckets.set(caller, { available: available - cost, at });
      // Full buckets need no entry; forget them so many callers do not grow the map forever.
      if (buckets.size > 10_000) for (const [name] of buckets) if (level(name, at) >= opts.maximum) buckets.delete(name);
      return { ok: true, status: status(available - cost) };
    },
  };
}

export type CallerBudgets = ReturnType<typeof createCallerBudgets>;
