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
  type ValueNode,
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

/**
 * What an operation's estimate is worked out from, whatever its variables: the fields
 * execution merges under each parent, in execution's order, with their definitions, costs and
 * sub-selections. Built once per operation (see planFor), then evaluated per request with that
 * request's variables (see evaluate).
 */
interface UnitPlan {
  readonly groups: readonly GroupPlan[];
}

interface GroupPlan {
  readonly coordinate: string;
  readonly field: GraphQLField<unknown, unknown>;
  readonly root: boolean;
  readonly cost: FieldCost | undefined;
  readonly nodes: readonly FieldNode[];
  /**
   * Per node: its argument values when they name no variable (worked out once: a literal
   * `first: 3` is the same in every request), `undefined` when they must be read per request,
   * or BAD_ARGS when they cannot be read at all (execution reports them).
   */
  readonly fixedArgs: readonly (Record<string, unknown> | typeof BAD_ARGS | undefined)[];
  /** Per node: whether this is where the walk meets it first (onField sees each node once). */
  readonly first: readonly boolean[];
  /** What the group's merged sub-selections select (shared wherever the same fields recur). */
  readonly children: UnitPlan | undefined;
}

const BAD_ARGS: unique symbol = Symbol('bad arguments');

/** What building one plan walks with; module-level functions share it so no closure is made per field. */
interface Build {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly root: GraphQLNamedType;
  readonly model: CostModel;
  readonly maxSteps: number;
  steps: number;
  /** A number per field node, for memo keys. */
  readonly ids: Map<FieldNode, number>;
  /** Field nodes already placed in the plan. */
  readonly visited: WeakSet<FieldNode>;
  /** The plan of each merged group of selections already built, by memo key. */
  readonly memo: Map<string, UnitPlan>;
}

const NO_ARGS: Record<string, unknown> = Object.freeze({});

function step(b: Build): void {
  b.steps += 1;
  if (b.steps > b.maxSteps) throw new DocumentTooComplexError(b.maxSteps);
}

/** Adds the fields `set` selects on `on` to `groups` by response key, as execution collects them. */
function collectInto(b: Build, on: GraphQLNamedType | undefined, set: SelectionSetNode, groups: Map<string, FieldGroup>, spread: Set<string>): void {
  for (const s of set.selections) {
    step(b);
    if (s.kind === Kind.FIELD) {
      if (!on || !(isObjectType(on) || isInterfaceType(on))) continue;
      const key = `${on.name}.${s.alias?.value ?? s.name.value}`;
      const group = groups.get(key);
      if (group) group.nodes.push(s);
      else groups.set(key, { type: on, nodes: [s] });
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      collectInto(b, s.typeCondition ? b.schema.getType(s.typeCondition.name.value) : on, s.selectionSet, groups, spread);
    } else if (!spread.has(s.name.value)) {
      // Execution collects a fragment once per selection set, however often it is spread.
      spread.add(s.name.value);
      const f = b.fragments.get(s.name.value);
      if (f) collectInto(b, b.schema.getType(f.typeCondition.name.value), f.selectionSet, groups, spread);
    }
  }
}

function idOf(b: Build, node: FieldNode): number {
  let id = b.ids.get(node);
  if (id === undefined) b.ids.set(node, (id = b.ids.size + 1));
  return id;
}

/** Whether an argument value names a variable anywhere inside it. */
function namesVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(namesVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((f) => namesVariable(f.value));
  return false;
}

/** A node's argument values if they are the same in every request, else `undefined`. */
function fixedArgsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> | typeof BAD_ARGS | undefined {
  if (!field.args.length) return NO_ARGS;
  if (node.arguments?.some((a) => namesVariable(a.value))) return undefined;
  try {
    return Object.freeze(getArgumentValues(field, node, NO_ARGS));
  } catch {
    return BAD_ARGS;
  }
}

/** The plan of the fields the selection sets select on `type`, merged. */
function planUnit(b: Build, type: GraphQLNamedType, sets: readonly SelectionSetNode[]): UnitPlan {
  const groups = new Map<string, FieldGroup>();
  const spread = new Set<string>();
  for (const set of sets) collectInto(b, type, set, groups, spread);
  // The same field nodes collected in the same order plan the same: that is what recurs when
  // one fragment is reached along many paths. (A different order only misses the memo.)
  let key = type.name;
  for (const group of groups.values()) for (const node of group.nodes) key += `,${idOf(b, node)}`;
  const known = b.memo.get(key);
  if (known) return known;
  const planned: GroupPlan[] = [];
  const plan: UnitPlan = { groups: planned };
  b.memo.set(key, plan); // cycles are refused by validation; this only guards
  for (const { type: parent, nodes } of groups.values()) {
    const field = parent.getFields()[nodes[0]!.name.value];
    if (!field) continue;
    const first: boolean[] = [];
    const fixedArgs: (Record<string, unknown> | typeof BAD_ARGS | undefined)[] = [];
    for (const node of nodes) {
      step(b);
      first.push(!b.visited.has(node));
      b.visited.add(node);
      fixedArgs.push(fixedArgsOf(field, node));
    }
    const coordinate = `${parent.name}.${field.name}`;
    let children: UnitPlan | undefined;
    if (nodes[0]!.selectionSet) {
      const sets: SelectionSetNode[] = [];
      for (const n of nodes) if (n.selectionSet) sets.push(n.selectionSet);
      children = planUnit(b, getNamedType(field.type), sets);
    }
    planned.push({ coordinate, field, root: parent === b.root, cost: b.model[coordinate], nodes, fixedArgs, first, children });
  }
  return plan;
}

/** One request's evaluation of a plan: its variables, the visitor, and each shared unit's calls once. */
interface Evaluation {
  readonly variables: Record<string, unknown>;
  readonly onField: FieldVisitor | undefined;
  readonly memo: Map<UnitPlan, number>;
}

/** Calls per parent object of a planned unit, with this request's argument values. */
function evaluate(e: Evaluation, plan: UnitPlan): number {
  const known = e.memo.get(plan);
  if (known !== undefined) return known;
  e.memo.set(plan, 0);
  let total = 0;
  let sharedCalls: Set<string> | undefined;
  for (const g of plan.groups) {
    let args = NO_ARGS;
    for (let i = 0; i < g.nodes.length; i++) {
      const fixed = g.fixedArgs[i];
      let nodeArgs: Record<string, unknown> | undefined;
      if (fixed === BAD_ARGS) nodeArgs = undefined;
      else if (fixed) nodeArgs = fixed;
      else {
        try {
          nodeArgs = getArgumentValues(g.field, g.nodes[i]!, e.variables);
        } catch {
          nodeArgs = undefined; // bad arguments are reported by execution
        }
      }
      if (i === 0) args = nodeArgs ?? NO_ARGS;
      if (nodeArgs && e.onField && g.first[i]) e.onField({ coordinate: g.coordinate, definition: g.field, root: g.root }, nodeArgs, g.nodes[i]!);
    }
    const cost = g.cost;
    if (cost?.calls && !(cost.shared && sharedCalls?.has(cost.shared))) {
      total += atLeastZero(cost.calls(args));
      if (cost.shared) (sharedCalls ??= new Set()).add(cost.shared);
    }
    if (g.children) total += atLeastZero(cost?.items?.(args) ?? 1) * evaluate(e, g.children);
  }
  e.memo.set(plan, total);
  return total;
}

/** Each operation's plan, while its parsed document is kept (Apollo's document cache keeps the same nodes). */
const plans = new WeakMap<OperationDefinitionNode, { readonly schema: GraphQLSchema; readonly model: CostModel; readonly maxSteps: number; readonly plan: UnitPlan }>();

/**
 * A plan is kept only if building it took at most this many steps per distinct field node
 * (plus a few): a plain document takes about two, one spread per field adds one. Its size then
 * stays in proportion to the document's, which Apollo's document cache bounds. A document whose
 * fragments multiply the walk (the same fields reached in many different merges) can plan
 * to many times its own size within MAX_WALK_STEPS; it is planned afresh for each request, as
 * every document was before plans were kept, so no one can fill memory with such plans.
 */
const KEPT_STEPS_PER_FIELD = 4;
const KEPT_STEPS_SLACK = 64;

/** Whether the operation's plan is kept for the next request (see KEPT_STEPS_PER_FIELD). */
export const isPlanKept = (operation: OperationDefinitionNode): boolean => plans.has(operation);

function planFor(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, model: CostModel, maxSteps: number): UnitPlan | undefined {
  const kept = plans.get(operation);
  if (kept && kept.schema === schema && kept.model === model && kept.maxSteps === maxSteps) return kept.plan;
  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : operation.operation === OperationTypeNode.SUBSCRIPTION ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const b: Build = { schema, fragments, root, model, maxSteps, steps: 0, ids: new Map(), visited: new WeakSet(), memo: new Map() };
  const plan = planUnit(b, root, [operation.selectionSet]);
  if (b.steps <= KEPT_STEPS_PER_FIELD * b.ids.size + KEPT_STEPS_SLACK) plans.set(operation, { schema, model, maxSteps, plan });
  return plan;
}

/**
 * The estimated upstream calls of an operation, following execution: fields of one parent with
 * the same response key are merged (however many fragments select them) and cost once; their
 * sub-selections are merged too. Each merged group of fields is costed once and reused wherever
 * it recurs, so the walk is linear in the size of the document, not of its expansion (30
 * fragments that each spread the next twice cost 30 fragment walks). `onField` sees each field
 * node once with its argument values, so argument checks ride on this one walk. Never negative.
 *
 * The walk's shape depends on the operation alone, so it is planned once per operation and
 * each request only reads the arguments that name variables and adds up the counts.
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
  const plan = planFor(schema, document, operation, model, maxSteps);
  return plan ? evaluate({ variables, onField, memo: new Map() }, plan) : 0;
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
