import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/*
 * The schema's own scalars. They carry no description: @apollo/subgraph copies every defined
 * property of a scalar resolver onto the schema's type, so a description here would replace
 * the one in schema/base.graphql, which is the one place clients read it from.
 */

/** Deepest nesting of objects and arrays a `JSON` argument may have (`{}` and `[]` are level 1). */
export const JSON_MAX_DEPTH = 32;
/** Largest `JSON` argument, in UTF-8 bytes of its JSON serialisation. */
export const JSON_MAX_BYTES = 64 * 1024;

/**
 * Why a JSON value breaks a limit, or undefined when it keeps to them. Walks the value with an
 * explicit stack instead of recursing, so no nesting depth can overflow the call stack, and
 * stops at the first limit broken, so a huge value costs no more than the limit to look at.
 */
export function jsonLimitBroken(value: unknown): string | undefined {
  const tooLong = `must be at most ${JSON_MAX_BYTES} bytes when serialised as JSON`;
  let bytes = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') {
      // Strings, numbers, booleans and null serialise without recursion.
      bytes += Buffer.byteLength(JSON.stringify(v) ?? 'null', 'utf8');
      if (bytes > JSON_MAX_BYTES) return tooLong;
      continue;
    }
    if (depth + 1 > JSON_MAX_DEPTH) return `must be nested at most ${JSON_MAX_DEPTH} levels deep`;
    const keys = Array.isArray(v) ? undefined : Object.keys(v);
    const length = keys ? keys.length : (v as unknown[]).length;
    // Brackets and commas first, so a huge container is refused before anything is queued.
    bytes += 2 + Math.max(0, length - 1);
    if (bytes > JSON_MAX_BYTES) return tooLong;
    for (let i = 0; i < length; i += 1) {
      const key = keys?.[i];
      if (key !== undefined) bytes += Buffer.byteLength(JSON.stringify(key), 'utf8') + 1; // the key and its colon
      if (bytes > JSON_MAX_BYTES) return tooLong;
      stack.push({ value: key === undefined ? (v as unknown[])[i] : (v as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

/** Thrown for a variable inside a JSON literal; see parseLiteral below. */
const VARIABLE_IN_LITERAL = 'must not contain variables: send the whole JSON value as one variable';

/**
 * A literal as the JSON value it spells, built without recursion for the same reason as
 * above, or the rule it breaks.
 */
function literalToJson(root: ValueNode): { value: unknown } | { broken: string } {
  const result: { value?: unknown } = {};
  const stack: { node: ValueNode; put: (v: unknown) => void }[] = [{ node: root, put: (v) => (result.value = v) }];
  while (stack.length > 0) {
    const { node, put } = stack.pop()!;
    switch (node.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
      case Kind.ENUM:
        put(node.value);
        break;
      case Kind.INT:
      case Kind.FLOAT:
        put(Number(node.value));
        break;
      case Kind.NULL:
        put(null);
        break;
      case Kind.VARIABLE:
        return { broken: VARIABLE_IN_LITERAL };
      case Kind.LIST: {
        const list: unknown[] = new Array(node.values.length);
        put(list);
        node.values.forEach((item, i) => stack.push({ node: item, put: (v) => (list[i] = v) }));
        break;
      }
      case Kind.OBJECT: {
        const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        put(object);
        for (const field of node.fields) stack.push({ node: field.value, put: (v) => (object[field.name.value] = v) });
        break;
      }
    }
  }
  return { value: result.value };
}

const jsonRuleError = (rule: string, node?: ValueNode) =>
  new GraphQLError(`JSON value ${rule} (see the JSON scalar's description).`, { ...(node ? { nodes: node } : {}), extensions: { rule } });

/**
 * Any JSON value, as graphql-scalars' JSON, but an argument may be at most JSON_MAX_DEPTH
 * levels deep and JSON_MAX_BYTES long: a deeper value overflowed the stack of whatever
 * serialised it next (a 500). Variables that break a limit fail coercion (BAD_USER_INPUT,
 * naming the variable path); literals fail validation (400). Either way no resolver runs and
 * nothing is sent upstream. Values PAI sends are passed through as they are.
 *
 * A literal may not contain variables (graphql-scalars allows `{ a: $v }`): validation cannot
 * see their values, and a limit found only during execution is swallowed by graphql-js into
 * a bare "invalid value" error, while repeating one 64 KiB variable inside a literal would
 * multiply what is sent upstream.
 */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue(value) {
    const broken = jsonLimitBroken(value);
    if (broken) throw jsonRuleError(broken);
    return value;
  },
  parseLiteral(node) {
    const parsed = literalToJson(node);
    const broken = 'broken' in parsed ? parsed.broken : jsonLimitBroken(parsed.value);
    if (broken) throw jsonRuleError(broken, node);
    return (parsed as { value: unknown }).value;
  },
});

const LONG_RULE = `must be a whole number from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

/** A value for an error message, cut short: messages must not echo whole documents. */
const describe = (value: unknown) => {
  const text = typeof value === 'string' ? value : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
};

/**
 * PAI's int64 (`long`) fields. GraphQL's Int is 32-bit, so 3,000,000,000 parameters could not
 * be sent or shown; graphql-scalars' BigInt/Long turn large values into strings or bigints and
 * accept anything, and its SafeInt also coerces booleans and strings on output. This one is a
 * JSON number both ways and refuses whatever a JavaScript client could not hold exactly.
 */
export const LongScalar = new GraphQLScalarType({
  name: 'Long',
  serialize(value) {
    const n = typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    // Larger numbers than these lost precision when PAI's answer was parsed; showing them
    // would show a wrong number.
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new GraphQLError(`Long cannot represent ${describe(value)}: ${LONG_RULE}.`);
    return n;
  },
  parseValue(value) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new GraphQLError(`Long ${LONG_RULE} (a JSON number, not a string)`, { extensions: { rule: LONG_RULE } });
    }
    return value;
  },
  parseLiteral(node) {
    const n = node.kind === Kind.INT ? Number(node.value) : NaN;
    if (!Number.isSafeInteger(n)) throw new GraphQLError(`Long ${LONG_RULE}; got ${describe(print(node))}.`, { nodes: node, extensions: { rule: LONG_RULE } });
    return n;
  },
});

/** Distinct upstream timestamps whose serialised form is kept (then the memo starts over). */
export const DATE_TIME_MEMO_SIZE = 5000;

const dateTimeConfig = DateTimeResolver.toConfig();
const serializeDateTime = dateTimeConfig.serialize;
/** Upstream timestamp text -> its canonical UTC form; the same models' times come back in every list. */
const serializedDateTimes = new Map<string, string>();

/**
 * graphql-scalars' DateTime (RFC 3339, with its specifiedByURL) without its own description,
 * so the one in schema/base.graphql is what introspection shows (see the note at the top).
 * Its serialisation is graphql-scalars' own, answered as the string its Date serialises to
 * (the same JSON), and remembered per distinct upstream text: checking and parsing each
 * timestamp again cost about 1 µs per value, a few percent of CPU for a list of versions.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTimeConfig,
  description: undefined,
  serialize(value) {
    if (typeof value !== 'string') return serializeDateTime(value);
    const known = serializedDateTimes.get(value);
    if (known !== undefined) return known;
    const serialized = serializeDateTime(value).toISOString();
    if (serializedDateTimes.size >= DATE_TIME_MEMO_SIZE) serializedDateTimes.clear();
    serializedDateTimes.set(value, serialized);
    return serialized;
  },
});
