import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind, OperationTypeNode, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Caller } from '../auth.js';
import { checkNestedArguments, type ArgumentChecks } from './argument-checks.js';
import { checkArgumentLimits } from './argument-limits.js';
import { subscriptionOverHttpError } from './subscriptions-over-http.js';
import { DocumentTooComplexError, estimateCost, type CallerBudgets, type CostModel, type ThrottleStatus } from './cost.js';

/**
 * What is decided about an operation after it is parsed and validated and before anything
 * runs, in this order: the caller's scope (`write` for mutations, `read` for queries), the
 * router secret for federation's `_service` and `_entities` (wherever fragments put them),
 * the size and character limits of every argument, the rules of nested fields' arguments,
 * the estimated cost against MAX_OPERATION_COST, and the charge to the caller's budget. Each refusal is a 4xx with no upstream call. Every response then
 * carries `extensions.cost { estimated actualUpstreamCalls throttleStatus }`.
 */

export interface OperationPolicyOptions {
  readonly argumentChecks: ArgumentChecks;
  readonly costModel: CostModel;
  readonly maxCost: number;
  readonly budgets: CallerBudgets;
}

interface PolicyContext {
  readonly caller: Caller;
  /** Whether the request carried the router's shared secret (or none is configured). */
  readonly fromRouter: boolean;
  readonly upstream: { readonly callCount: number };
}

/** A refusal of the whole operation: its HTTP status goes on the response (Apollo reads `http`). */
const refuse = (message: string, code: ErrorCode, status: number, extra: Record<string, unknown> = {}, headers?: Map<string, string>) =>
  new GatewayError(code, message, { ...extra, http: { status, ...(headers ? { headers } : {}) } });

/**
 * The names of the root fields an operation selects, however deep in fragments they sit
 * (`{ ... on Query { _service { sdl } } }` selects `_service`). Each fragment is walked once.
 */
export function rootFieldNames(document: DocumentNode, set: SelectionSetNode): Set<string> {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const names = new Set<string>();
  const spread = new Set<string>();
  const walk = (s: SelectionSetNode) => {
    for (const sel of s.selections) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (!spread.has(sel.name.value)) {
        spread.add(sel.name.value);
        const f = fragments.get(sel.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(set);
  return names;
}

export function createOperationPolicyPlugin<C extends PolicyContext>(options: OperationPolicyOptions): ApolloServerPlugin<C> {
  // Apollo keeps each parsed and validated document (the same nodes) while it is in its
  // document cache, so what depends on the operation alone is worked out once per operation:
  // whether it selects a router-only root field, and, for an operation without variables, its
  // estimate (whose argument checks passed: a refusal is never kept and is found again).
  const routerOnly = new WeakMap<OperationDefinitionNode, boolean>();
  const fixedEstimates = new WeakMap<OperationDefinitionNode, number>();
  const selectsRouterOnly = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let found = routerOnly.get(operation);
    if (found === undefined) {
      const roots = rootFieldNames(document, operation.selectionSet);
      found = roots.has('_service') || roots.has('_entities');
      routerOnly.set(operation, found);
    }
    return found;
  };
  return {
    async requestDidStart() {
      let estimated = 0;
      let status: ThrottleStatus = options.budgets.full();
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const overHttp = subscriptionOverHttpError(operation);
          if (overHttp) throw overHttp;
          const { caller } = contextValue;
          const mutation = operation.operation === OperationTypeNode.MUTATION;
          const needed = mutation ? 'write' : 'read';
          if (!caller.scopes.has(needed)) {
            throw refuse(`${caller.name} may not run ${mutation ? 'mutations' : 'queries'}: its token lacks the ${needed} scope.`, ErrorCode.FORBIDDEN, 403);
          }
          if (!contextValue.fromRouter && selectsRouterOnly(document, operation)) {
            throw refuse('_service and _entities are for the supergraph router: send its shared secret in x-router-secret.', ErrorCode.FORBIDDEN, 403);
          }
          const fixed = operation.variableDefinitions?.length ? undefined : fixedEstimates.get(operation);
          if (fixed !== undefined) estimated = fixed;
          else {
            const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
            if (coerced.errors) return; // execution reports bad variables with GraphQL's own messages
            try {
              estimated = estimateCost(schema, document, operation, coerced.coerced, options.costModel, ({ coordinate, definition, root }, args, node) => {
                checkArgumentLimits(coordinate, definition.args, args, node);
                if (!root) checkNestedArguments(options.argumentChecks, coordinate, args, node);
              });
            } catch (err) {
              if (err instanceof DocumentTooComplexError) throw refuse(err.message, ErrorCode.OPERATION_TOO_COSTLY, 400);
              throw err;
            }
            if (!operation.variableDefinitions?.length) fixedEstimates.set(operation, estimated);
          }
          if (estimated > options.maxCost) {
            throw refuse(
              `The operation would cost an estimated ${estimated} upstream calls; the limit is ${options.maxCost}. Ask for fewer items (first) or fewer nested lists.`,
              ErrorCode.OPERATION_TOO_COSTLY,
              400,
              { estimated, limit: options.maxCost },
            );
          }
          if (estimated === 0) return;
          const charge = await options.budgets.charge(caller.name, estimated);
          status = charge.status;
          if (!charge.ok) {
            throw refuse(
              `Over budget: this operation costs an estimated ${estimated} upstream calls and ${caller.name} has ${charge.status.currentlyAvailable} left; retry after ${charge.retryAfterSeconds} s.`,
              ErrorCode.RATE_LIMITED,
              429,
              { retryAfter: charge.retryAfterSeconds, estimated },
              new Map([['retry-after', String(charge.retryAfterSeconds)]]),
            );
          }
        },
        async willSendResponse({ request, operation, response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // Apollo refuses a GET of anything but a query (405) before plugins see the operation;
          // a subscription is told where it is served, as over POST.
          const overHttp = request.http?.method === 'GET' && operation ? subscriptionOverHttpError(operation) : undefined;
          if (overHttp) result.errors = [{ message: overHttp.message, locations: overHttp.locations ?? [], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }];
          result.extensions = { ...result.extensions, cost: { estimated, actualUpstreamCalls: contextValue.upstream?.callCount ?? 0, throttleStatus: status } };
        },
      };
    },
  };
}
