import { readdirSync, readFileSync } from 'node:fs';
import { mergeResolvers } from '@graphql-tools/merge';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
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

export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: mergeResolvers([baseResolvers, modelResolvers, algorithmResolvers, evalTaskResolvers, tensorboardResolvers]),
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
