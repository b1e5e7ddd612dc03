import { GraphQLError, GraphQLScalarType, Kind, print } from 'graphql';

/*
 * The schema's own scalars. They carry no description: @apollo/subgraph copies every defined
 * property of a scalar resolver onto the schema's type, so a description here would replace
 * the one in schema/base.graphql, which is the one place clients read it from.
 */

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
