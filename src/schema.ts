import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { mergeResolvers } from '@graphql-tools/merge';
import { isEnumType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { algorithmResolvers } from './algorithms/index.js';
import { evalTaskResolvers } from './eval-tasks/index.js';
import { Accessibility } from './core/enums.js';
import { modelResolvers } from './models/index.js';
import { tensorboardResolvers } from './tensorboards/index.js';

/** schema/ sits next to src/ and dist/, so this resolves from both. */
export const SCHEMA_DIR = new URL('../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)))
    .map((f) => readFileSync(new URL(f, SCHEMA_DIR), 'utf8'));
}

/** Scalars and enums shared by every domain (schema/base.graphql). */
const baseResolvers: Resolvers = { DateTime: DateTimeResolver, JSON: JSONResolver, Accessibility };

const resolvers = () => mergeResolvers([baseResolvers, modelResolvers, algorithmResolvers, evalTaskResolvers, tensorboardResolvers]);

/**
 * The executable schema: a Federation 2 subgraph (with `_service` and `_entities`) built by
 * @apollo/subgraph, which silently ignores resolvers for fields the schema lacks; so every
 * resolver is checked against the schema here.
 */
export function createSchema(): GraphQLSchema {
  const all = resolvers();
  const schema = buildSubgraphSchema({ typeDefs: parse(loadTypeDefs().join('\n')), resolvers: all as GraphQLResolverMap<unknown> });
  assertResolversMatchSchema(schema, all);
  return schema;
}

function assertResolversMatchSchema(schema: GraphQLSchema, map: Resolvers): void {
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName);
    if (!type) throw new Error(`Resolvers for ${typeName}, which the schema does not define`);
    if (isObjectType(type)) {
      for (const field of Object.keys(fields as object)) {
        if (!field.startsWith('__') && !type.getFields()[field]) throw new Error(`Resolver ${typeName}.${field} names no field of the schema`);
      }
    } else if (isEnumType(type)) {
      for (const value of Object.keys(fields as object)) {
        if (!type.getValue(value)) throw new Error(`Enum value ${typeName}.${value} is not in the schema`);
      }
    }
  }
}
