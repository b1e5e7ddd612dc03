import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { isGatewayError } from '../errors.js';

/**
 * Checks of a field's arguments, keyed by schema coordinate (`Tensorboard.sharedUrl`). A check
 * throws a BadUserInputError (usually via parseInput) when the arguments break a rule; the
 * resolver runs the same check again, so a check is only an early copy of what the service does.
 */
export type ArgumentChecks = Readonly<Record<string, (args: Record<string, unknown>) => unknown>>;

/**
 * Runs the argument checks of nested fields before execution. A bad argument on a nested field
 * (`model { versions(first: 500) }`, `tensorboard { sharedUrl(expireTimeSeconds: 0) }`) would
 * otherwise be found only after its parent had cost an upstream call; here the operation is
 * answered with a 400 and no upstream call at all. Root fields are left to their resolvers:
 * their checks already run before any call, and one bad root field then nulls only itself.
 */
export function runArgumentChecks(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, checks: ArgumentChecks): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return;
  walk(schema, root, operation.selectionSet, { checks, fragments, variables, seen: new Set(), isRoot: true });
}

interface WalkState {
  checks: ArgumentChecks;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Fragments already walked; their arguments do not depend on where they are spread. */
  seen: Set<string>;
  isRoot: boolean;
}

function walk(schema: GraphQLSchema, type: GraphQLNamedType | undefined | null, selectionSet: SelectionSetNode, state: WalkState): void {
  if (!type) return;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(schema, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type, selection.selectionSet, state);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = state.fragments.get(selection.name.value);
      if (!fragment || state.seen.has(fragment.name.value)) continue;
      state.seen.add(fragment.name.value);
      walk(schema, schema.getType(fragment.typeCondition.name.value), fragment.selectionSet, state);
      continue;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const field = type.getFields()[selection.name.value];
    if (!field) continue;
    const coordinate = `${type.name}.${field.name}`;
    const check = state.isRoot ? undefined : state.checks[coordinate];
    if (check) {
      try {
        check(getArgumentValues(field, selection, state.variables));
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        throw new GraphQLError(`${coordinate} ${error.message}`, {
          nodes: [selection],
          extensions: { ...error.extensions, coordinate, http: { status: 400 } },
        });
      }
    }
    if (selection.selectionSet) walk(schema, getNamedType(field.type), selection.selectionSet, { ...state, isRoot: false });
  }
}
