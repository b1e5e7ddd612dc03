import {
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../pagination.js';

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

/** A count from a cost function as a whole number of at least 0 (a negative `first` never lowers an estimate). */
const atLeastZero = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.ceil(n) : 0);

/**
 * A connection field: one call per upstream page of `pageSize`, children resolved `first` (or
 * `last`) times; `last` without `before` adds the call that reads the list's total first.
 * Counts are taken only up to MAX_PAGE_SIZE: a larger one is refused by the field itself
 * (BAD_USER_INPUT naming it) before any call, so it must not turn into a cost refusal.
 */
export const connectionCost = (pageSize: number, defaultFirst = 10): FieldCost => {
  const count = (a: Record<string, unknown>) => {
    const given = a.first ?? a.last;
    return Math.min(MAX_PAGE_SIZE, given === undefined || given === null ? defaultFirst : Math.max(atLeastZero(Number(a.first ?? 0)), atLeastZero(Number(a.last ?? 0))));
  };
  const fromEnd = (a: Record<string, unknown>) => a.last !== undefined && a.last !== null && (a.before === undefined || a.before === null);
  return { calls: (a) => Math.max(1, Math.ceil(count(a) / pageSize)) + (fromEnd(a) ? 1 : 0), items: count };
};
export const ONE_CALL: FieldCost = { calls: () => 1 };

/** Told about every field node of the operation once, with its definition and argument values. */
export type FieldVisitor = (field: { coordinate: string; definition: GraphQLField<unknown, unknown>; root: boolean }, args: Record<string, unknown>, node: FieldNode) => void;

/** Fields of one parent type that execution merges into one response key. */
interface FieldGroup {
  readonly type: GraphQLObjectType | GraphQLInterfaceType;
  readonly nodes: FieldNode[];
}

/**
 * Steps (fields and spreads visited) one estimate may take. Documents are already capped by
 * MAX_TOKENS; this bounds the walk whatever shape a document has.
 */
const MAX_WALK_STEPS = 200_000;

/** What one estimate walks with; module-level functions share it so no closure is made per request. */
interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly root: GraphQLNamedType;
  readonly variables: Record<string, unknown>;
  readonly model: CostModel;
  readonly onField: FieldVisitor | undefined;
  readonly maxSteps: number;
  steps: number;
  /** A number per field node, for memo keys. */
  readonly ids: Map<FieldNode, number>;
  /** Field nodes already shown to onField. */
  readonly visited: WeakSet<FieldNode>;
  /** Calls per parent object of each merged group already costed, by memo key. */
  readonly memo: Map<string, number>;
}

const NO_ARGS: Record<string, unknown> = Object.freeze({});

function step(w: Walk): void {
  w.steps += 1;
  if (w.steps > w.maxSteps) throw new DocumentTooComplexError(w.maxSteps);
}

/** Adds the fields `set` selects on `on` to `groups` by response key, as execution collects them. */
function collectInto(w: Walk, on: GraphQLNamedType | undefined, set: SelectionSetNode, groups: Map<string, FieldGroup>, spread: Set<string>): void {
  for (const s of set.selections) {
    step(w);
    if (s.kind === Kind.FIELD) {
      if (!on || !(isObjectType(on) || isInterfaceType(on))) continue;
      const key = `${on.name}.${s.alias?.value ?? s.name.value}`;
      const group = groups.get(key);
      if (group) group.nodes.push(s);
      else groups.set(key, { type: on, nodes: [s] });
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      collectInto(w, s.typeCondition ? w.schema.getType(s.typeCondition.name.value) : on, s.selectionSet, groups, spread);
    } else if (!spread.has(s.name.value)) {
      // Execution collects a fragment once per selection set, however often it is spread.
      spread.add(s.name.value);
      const f = w.fragments.get(s.name.value);
      if (f) collectInto(w, w.schema.getType(f.typeCondition.name.value), f.selectionSet, groups, spread);
    }
  }
}

function idOf(w: Walk, node: FieldNode): number {
  let id = w.ids.get(node);
  if (id === undefined) w.ids.set(node, (id = w.ids.size + 1));
  return id;
}

/** Calls per parent object of the fields the selection sets select on `type`, merged. */
function unit(w: Walk, type: GraphQLNamedType, sets: readonly SelectionSetNode[]): number {
  const groups = new Map<string, FieldGroup>();
  const spread = new Set<string>();
  for (const set of sets) collectInto(w, type, set, groups, spread);
  // The same field nodes collected in the same order cost the same: that is what recurs when
  // one fragment is reached along many paths. (A different order only misses the memo.)
  let key = type.name;
  for (const group of groups.values()) for (const node of group.nodes) key += `,${idOf(w, node)}`;
  const known = w.memo.get(key);
  if (known !== undefined) return known;
  w.memo.set(key, 0); // cycles are refused by validation; this only guards
  let total = 0;
  let sharedCalls: Set<string> | undefined;
  for (const { type: parent, nodes } of groups.values()) {
    const field = parent.getFields()[nodes[0]!.name.value];
    if (!field) continue;
    const coordinate = `${parent.name}.${field.name}`;
    let args = NO_ARGS;
    for (const node of nodes) {
      step(w);
      let nodeArgs: Record<string, unknown> | undefined = NO_ARGS;
      if (field.args.length) {
        try {
          nodeArgs = getArgumentValues(field, node, w.variables);
        } catch {
          nodeArgs = undefined; // bad arguments are reported by execution
        }
      }
      if (node === nodes[0]) args = nodeArgs ?? NO_ARGS;
      if (nodeArgs && w.onField && !w.visited.has(node)) w.onField({ coordinate, definition: field, root: parent === w.root }, nodeArgs, node);
      w.visited.add(node);
    }
    const cost = w.model[coordinate];
    if (cost?.calls && !(cost.shared && sharedCalls?.has(cost.shared))) {
      total += atLeastZero(cost.calls(args));
      if (cost.shared) (sharedCalls ??= new Set()).add(cost.shared);
    }
    if (!nodes[0]!.selectionSet) continue;
    const children: SelectionSetNode[] = [];
    for (const n of nodes) if (n.selectionSet) children.push(n.selectionSet);
    total += atLeastZero(cost?.items?.(args) ?? 1) * unit(w, getNamedType(field.type), children);
  }
  w.memo.set(key, total);
  return total;
}

/**
 * The estimated upstream calls of an operation, following execution: fields of one parent with
 * the same response key are merged (however many fragments select them) and cost once; their
 * sub-selections are merged too. Each merged group of fields is costed once and reused wherever
 * it recurs, so the walk is linear in the size of the document, not of its expansion (30
 * fragments that each spread the next twice cost 30 fragment walks). `onField` sees each field
 * node once with its argument values, so argument checks ride on this one walk. Never negative.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  model: CostModel,
  onField?: FieldVisitor,
  maxSteps = MAX_WALK_STEPS,
): number {
  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : operation.operation === OperationTypeNode.SUBSCRIPTION ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const w: Walk = { schema, fragments, root, variables, model, onField, maxSteps, steps: 0, ids: new Map(), visited: new WeakSet(), memo: new Map() };
  return unit(w, root, [operation.selectionSet]);
}

/** A document whose shape would take the estimate too long to walk: refused before execution. */
export class DocumentTooComplexError extends Error {
  constructor(readonly steps: number) {
    super(`The operation is too complex to estimate (over ${steps} steps); simplify its fragments.`);
  }
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
