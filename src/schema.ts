import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  valueFromAST,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLSchema,
} from 'graphql';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { algorithmResolvers } from './algorithms/index.js';
import { evalTaskResolvers, evalTaskSubscriptionResolvers } from './eval-tasks/index.js';
import { Accessibility } from './core/enums.js';
import { DateTimeScalar, JSONScalar, LongScalar } from './core/scalars.js';
import { modelResolvers } from './models/index.js';
import { nodeResolvers } from './nodes/index.js';
import { tensorboardResolvers, tensorboardSubscriptionResolvers } from './tensorboards/index.js';
import { serviceResolvers, serviceSubscriptionResolvers } from './services/index.js';

/** schema/ sits next to src/ and dist/, so this resolves from both. */
export const SCHEMA_DIR = new URL('../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)))
    .map((f) => readFileSync(new URL(f, SCHEMA_DIR), 'utf8'));
}

/**
 * The resolver map buildSubgraphSchema takes, named through its public signature: the package
 * exports the function but not the type.
 */
type SubgraphResolverMap = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']>;

/** Scalars and enums shared by every domain (schema/base.graphql). */
const baseResolvers: Resolvers = { DateTime: DateTimeScalar, JSON: JSONScalar, Long: LongScalar, Accessibility };

const resolvers = () =>
  mergeResolvers([baseResolvers, nodeResolvers, modelResolvers, algorithmResolvers, evalTaskResolvers, tensorboardResolvers, serviceResolvers, evalTaskSubscriptionResolvers, tensorboardSubscriptionResolvers, serviceSubscriptionResolvers]);

/**
 * The executable schema: a Federation 2 subgraph (with `_service` and `_entities`) built by
 * @apollo/subgraph, which silently ignores resolvers for fields the schema lacks; so every
 * resolver is checked against the schema here.
 */
export function createSchema(): GraphQLSchema {
  const all = resolvers();
  const schema = buildSubgraphSchema({ typeDefs: parse(loadTypeDefs().join('\n')), resolvers: all as SubgraphResolverMap });
  assertResolversMatchSchema(schema, all);
  applyDefaultsAsInternalValues(schema);
  return schema;
}

/**
 * Default values are read from the SDL before the enum resolvers give enum values their
 * internal (PAI) values, so `field: ModelOrderField! = CREATED_AT` kept the GraphQL name as
 * its default: resolvers then received `CREATED_AT` instead of `GmtCreateTime`, and
 * introspection failed to print the default. Reading every default again from its AST, now
 * that the enums are final, fixes every argument and input field at once.
 */
function applyDefaultsAsInternalValues(schema: GraphQLSchema): void {
  const reread = (input: GraphQLArgument | GraphQLInputField, coordinate: string) => {
    const node = input.astNode?.defaultValue;
    if (!node) return;
    const value = valueFromAST(node, input.type);
    if (value === undefined) throw new Error(`The default value of ${coordinate} does not fit its type`);
    input.defaultValue = value;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) reread(field, `${type.name}.${field.name}`);
    } else if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) for (const arg of field.args) reread(arg, `${type.name}.${field.name}(${arg.name})`);
    }
  }
  for (const directive of schema.getDirectives()) for (const arg of directive.args) reread(arg, `@${directive.name}(${arg.name})`);
}

function assertResolversMatchSchema(schema: GraphQLSchema, map: Resolvers): void {
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName);
    if (!type) throw new Error(`Resolvers for ${typeName}, which the schema does not define`);
    if (isObjectType(type)) {
      for (const field of Object.keys(fields)) {
        if (!field.startsWith('__') && !type.getFields()[field]) throw new Error(`Resolver ${typeName}.${field} names no field of the schema`);
      }
    } else if (isEnumType(type)) {
      for (const value of Object.keys(fields)) {
        if (!type.getValue(value)) throw new Error(`Enum value ${typeName}.${value} is not in the schema`);
      }
    }
  }
}
