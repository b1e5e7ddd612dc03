import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Limits on the shape of a document, checked during validation (so before any resolver runs
 * and with a 400 answer): depth, aliases and directives. Unlike common plugins, `__typename`
 * is not exempt from the alias count, and depth follows fragments.
 */

export interface DocumentLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
}

const fail = (context: ValidationContext, message: string) => context.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));

function depthOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let deepest = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      deepest = Math.max(deepest, s.name.value.startsWith('__') && !s.selectionSet ? 0 : 1 + depthOf(s.selectionSet, fragments, seen));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(s.selectionSet, fragments, seen));
    } else {
      const f = fragments.get(s.name.value);
      if (!f || seen.has(f.name.value)) continue; // cycles are reported by NoFragmentCycles
      deepest = Math.max(deepest, depthOf(f.selectionSet, fragments, new Set([...seen, f.name.value])));
    }
  }
  return deepest;
}

export function createDocumentLimitRules(limits: DocumentLimits): ValidationRule[] {
  const depth: ValidationRule = (context): ASTVisitor => ({
    OperationDefinition(node) {
      const fragments = new Map(context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
      const d = depthOf(node.selectionSet, fragments, new Set());
      if (d > limits.maxDepth) fail(context, `The operation is ${d} levels deep; the limit is ${limits.maxDepth}.`);
    },
  });
  const aliases: ValidationRule = (context): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias) count += 1;
      },
      Document: {
        leave() {
          if (count > limits.maxAliases) fail(context, `The document uses ${count} aliases; the limit is ${limits.maxAliases}.`);
        },
      },
    };
  };
  const directives: ValidationRule = (context): ASTVisitor => {
    let count = 0;
    return {
      Directive() {
        count += 1;
      },
      Document: {
        leave() {
          if (count > limits.maxDirectives) fail(context, `The document uses ${count} directives; the limit is ${limits.maxDirectives}.`);
        },
      },
    };
  };
  return [depth, aliases, directives];
}
