import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The argument values of every selection of `child` directly under the field being resolved
 * (aliases each count, fragments on the field's type are looked into, `@skip` and `@include`
 * are honoured), so a resolver can start the child's upstream read together with its own
 * instead of after it: `model(id) { versions(first: 3) }` knows the model's id before GetModel
 * answers, and ListModelVersions need not wait for it. Empty when the field's type has no such
 * child or nothing selects it. Arguments are coerced exactly as execution will coerce them.
 */
export function selectedArguments(info: GraphQLResolveInfo, child: string): Record<string, unknown>[] {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return [];
  const definition = type.getFields()[child];
  if (!definition) return [];
  const found: Record<string, unknown>[] = [];
  const included = (node: FieldNode | InlineFragmentNode | FragmentSpreadNode) =>
    !node.directives?.length ||
    (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false);
  const applies = (condition: string | undefined) => condition === undefined || condition === type.name || type.getInterfaces().some((i) => i.name === condition);
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value === child) found.push(getArgumentValues(definition, sel, info.variableValues));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (applies(sel.typeCondition?.name.value)) walk(sel.selectionSet);
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const fragment = info.fragments[sel.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) walk(node.selectionSet);
  return found;
}
