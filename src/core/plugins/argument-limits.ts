import {
  getNamedType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type FieldNode,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { BadUserInputError, describeReceived } from '../errors.js';

/**
 * Limits every String, ID and list argument has, wherever it sits (a root field, a nested
 * field, deep in an input object, given inline or as a variable), checked before execution
 * so an oversized or malformed value never reaches an upstream call. Domain rules are often
 * tighter (a model name is at most 127 characters); these are the floor no field can forget.
 * JSON scalars are capped by the scalar itself.
 */
export const ARGUMENT_LIMITS = {
  /** Characters of any String argument. */
  maxString: 4096,
  /** Characters of any ID argument (ids are URL path segments upstream). */
  maxId: 128,
  /** Items of any list argument. */
  maxList: 100,
} as const;

/** Control characters other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Any control character. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The rule a value of an input type breaks, with where (`filter.tags[3].key`), or undefined. */
function findProblem(type: GraphQLInputType, value: unknown, path: string): { path: string; rule: string; received?: string } | undefined {
  if (value === null || value === undefined) return undefined;
  if (isNonNullType(type)) return findProblem(type.ofType, value, path);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    // A router's batch of references (`_entities`) is bounded by its cost (one call each) instead.
    const representations = getNamedType(type.ofType).name === '_Any';
    if (items.length > ARGUMENT_LIMITS.maxList && !representations) return { path, rule: `must hold at most ${ARGUMENT_LIMITS.maxList} items`, received: `${items.length} items` };
    for (let i = 0; i < items.length; i += 1) {
      const problem = findProblem(type.ofType, items[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      const problem = field && findProblem(field.type, v, path ? `${path}.${name}` : name);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isEnumType(type) || !isScalarType(type) || typeof value !== 'string') return undefined;
  if (type.name === 'ID') {
    if (value.length > ARGUMENT_LIMITS.maxId) return { path, rule: `must be at most ${ARGUMENT_LIMITS.maxId} characters`, received: describeReceived(value) };
    if (CONTROL.test(value)) return { path, rule: 'must not contain control characters', received: describeReceived(value) };
  } else if (type.name === 'String') {
    if (value.length > ARGUMENT_LIMITS.maxString) return { path, rule: `must be at most ${ARGUMENT_LIMITS.maxString} characters`, received: describeReceived(value) };
    if (CONTROL_IN_TEXT.test(value)) return { path, rule: 'must not contain control characters other than tab and line breaks', received: describeReceived(value) };
  }
  return undefined;
}

/**
 * Checks one field's argument values against ARGUMENT_LIMITS. A breach refuses the whole
 * operation with a 400 that names the coordinate and the argument path.
 */
export function checkArgumentLimits(coordinate: string, args: readonly GraphQLArgument[], values: Record<string, unknown>, node: FieldNode): void {
  for (const arg of args) {
    const problem = findProblem(arg.type, values[arg.name], arg.name);
    if (!problem) continue;
    const error = new BadUserInputError(problem.path, problem.rule, problem.received);
    throw new GraphQLError(`${coordinate} ${error.message}`, { nodes: [node], extensions: { ...error.extensions, coordinate, http: { status: 400 } } });
  }
}
