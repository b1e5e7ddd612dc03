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

/**
 * The depth of a selection set, following fragments. Each fragment's depth is computed once
 * and reused wherever it is spread, so the walk is linear in the document's size: a document
 * whose 30 fragments each spread the next twice costs 30 fragment walks, not 2^30.
 */
function createDepthOf(fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const memo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        // `ofType` follows a type's wrappers (list, non-null) one to one and cannot multiply
        // anything, so the introspection query clients send (eight `ofType` levels) fits the
        // limit, while `fields { type { fields ... } }`, which does multiply, still counts.
        const own = (s.name.value.startsWith('__') && !s.selectionSet) || s.name.value === 'ofType' ? 0 : 1;
        deepest = Math.max(deepest, own + depthOf(s.selectionSet));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(s.selectionSet));
      } else {
        const name = s.name.value;
        let d = memo.get(name);
        if (d === undefined) {
          // Marked before the walk: a cycle (reported by NoFragmentCycles) then ends here.
          memo.set(name, 0);
          d = depthOf(fragments.get(name)?.selectionSet);
          memo.set(name, d);
        }
        deepest = Math.max(deepest, d);
      }
    }
    return deepest;
  };
  return depthOf;
}

export function createDocumentLimitRules(limits: DocumentLimits): ValidationRule[] {
  const depth: ValidationRule = (context): ASTVisitor => {
    // One memo per document: every operation in it shares the fragments' depths.
    const depthOf = createDepthOf(new Map(context.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f])));
    return {
      OperationDefinition(node) {
        const d = depthOf(node.selectionSet);
        if (d > limits.maxDepth) fail(context, `The operation is ${d} levels deep; the limit is ${limits.maxDepth}.`);
      },
    };
  };
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
