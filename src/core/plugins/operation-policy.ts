import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind } from 'graphql';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Caller } from '../auth.js';
import { checkNestedArguments, type ArgumentChecks } from './argument-checks.js';
import { estimateCost, type CallerBudgets, type CostModel, type ThrottleStatus } from './cost.js';

/**
 * What is decided about an operation after it is parsed and validated and before anything
 * runs, in this order: the caller's scope (`write` for mutations, `read` for queries), the
 * router secret for federation's `_service` and `_entities`, the
 * arguments of nested fields, the estimated cost against MAX_OPERATION_COST, and the charge
 * to the caller's budget. Each refusal is a 4xx with no upstream call. Every response then
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

export function createOperationPolicyPlugin<C extends PolicyContext>(options: OperationPolicyOptions): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      let estimated = 0;
      let status: ThrottleStatus = options.budgets.full();
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const { caller } = contextValue;
          const needed = operation.operation === 'mutation' ? 'write' : 'read';
          if (!caller.scopes.has(needed)) {
            throw refuse(`${caller.name} may not run ${operation.operation === 'mutation' ? 'mutations' : 'queries'}: its token lacks the ${needed} scope.`, ErrorCode.FORBIDDEN, 403);
          }
          const federation = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && (s.name.value === '_service' || s.name.value === '_entities'));
          if (federation && !contextValue.fromRouter) {
            throw refuse('_service and _entities are for the supergraph router: send its shared secret in x-router-secret.', ErrorCode.FORBIDDEN, 403);
          }
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return; // execution reports bad variables with GraphQL's own messages
          estimated = estimateCost(schema, document, operation, coerced.coerced, options.costModel, (coordinate, args, node) =>
            checkNestedArguments(options.argumentChecks, coordinate, args, node),
          );
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
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { estimated, actualUpstreamCalls: contextValue.upstream?.callCount ?? 0, throttleStatus: status } };
        },
      };
    },
  };
}
