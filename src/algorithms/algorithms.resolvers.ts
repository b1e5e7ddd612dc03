import type { Resolvers } from '../__generated__/resolvers-types.js';
import { algorithmVersionKey } from './algorithms.loaders.js';

export const algorithmResolvers: Resolvers = {
  Query: {
    algorithms: (_p, args, { algorithms }) => algorithms.list(args),
    algorithm: (_p, { id }, { algorithms }) => algorithms.algorithm(id),
  },

  Mutation: {
    createAlgorithm: (_p, { input }, { algorithms }) => algorithms.createAlgorithm(input),
    updateAlgorithm: (_p, { input }, { algorithms }) => algorithms.updateAlgorithm(input),
    deleteAlgorithm: (_p, { input }, { algorithms }) => algorithms.deleteAlgorithm(input),
    createAlgorithmVersion: (_p, { input }, { algorithms }) => algorithms.createAlgorithmVersion(input),
    updateAlgorithmVersion: (_p, { input }, { algorithms }) => algorithms.updateAlgorithmVersion(input),
    deleteAlgorithmVersion: (_p, { input }, { algorithms }) => algorithms.deleteAlgorithmVersion(input),
  },

  Algorithm: {
    // Federation: other subgraphs reference algorithms by id; the loaders batch and deduplicate.
    __resolveReference: (ref, { algorithms }) => algorithms.algorithm(ref.id),
    id: (a) => a.AlgorithmId,
    name: (a) => a.AlgorithmName,
    displayName: (a) => a.DisplayName ?? null,
    description: (a) => a.AlgorithmDescription ?? null,
    provider: (a) => a.AlgorithmProvider || null,
    workspaceId: (a) => a.WorkspaceId ?? null,
    userId: (a) => a.UserId ?? null,
    tenantId: (a, _args, { algorithms }) => algorithms.tenantId(a),
    createdAt: (a) => a.GmtCreateTime ?? null,
    modifiedAt: (a) => a.GmtModifiedTime ?? null,
    versions: (a, args, { algorithms }) => algorithms.versions(a.AlgorithmId, args),
    version: (a, { name }, { algorithms }) => algorithms.version(a.AlgorithmId, name),
  },

  AlgorithmVersion: {
    __resolveReference: (ref, { algorithms }) => algorithms.version(ref.algorithm?.id ?? '', ref.name),
    id: (v) => algorithmVersionKey(v.AlgorithmId, v.AlgorithmVersion),
    name: (v) => v.AlgorithmVersion,
    algorithm: (v, _args, { algorithms }) => algorithms.algorithm(v.AlgorithmId),
    spec: (v, _args, { algorithms }) => algorithms.spec(v),
    userId: (v) => v.UserId ?? null,
    createdAt: (v) => v.GmtCreateTime ?? null,
    modifiedAt: (v) => v.GmtModifiedTime ?? null,
  },

  CreateAlgorithmPayload: { algorithm: ({ algorithmId }, _a, { algorithms }) => algorithms.algorithm(algorithmId) },
  UpdateAlgorithmPayload: { algorithm: ({ algorithmId }, _a, { algorithms }) => algorithms.algorithm(algorithmId) },
  CreateAlgorithmVersionPayload: { algorithmVersion: ({ algorithmId, name }, _a, { algorithms }) => algorithms.version(algorithmId, name) },
  UpdateAlgorithmVersionPayload: { algorithmVersion: ({ algorithmId, name }, _a, { algorithms }) => algorithms.version(algorithmId, name) },
};
