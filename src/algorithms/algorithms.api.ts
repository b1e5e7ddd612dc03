import type { ZodType } from 'zod';
import type { UpstreamSession } from '../core/upstream/client.js';
import { defineOperation, type HttpMethod } from '../core/upstream/operation.js';
import {
  AckResponse,
  AlgorithmVersionAck,
  CreateAlgorithmResponse,
  DeleteAlgorithmResponse,
  GetAlgorithmResponse,
  GetAlgorithmVersionResponse,
  ListAlgorithmVersionsResponse,
  ListAlgorithmsResponse,
  UpdateAlgorithmResponse,
  type AlgorithmSpecDTO,
} from './algorithms.dto.js';

/** PaiStudio 2022-01-12 algorithm operations. Writes are form-encoded, as the SDK sends them. */
const op = <R>(action: string, method: HttpMethod, path: string, response: ZodType<R>) =>
  defineOperation({ product: 'PaiStudio', action, method, path, response, opaque: ['LocationValue', 'Properties'], ...(method === 'POST' || method === 'PUT' ? { bodyType: 'form' as const } : {}) });

const ALGORITHMS = '/api/v1/algorithms';
const ALGORITHM = `${ALGORITHMS}/{AlgorithmId}`;
const VERSIONS = `${ALGORITHM}/versions`;
const VERSION = `${VERSIONS}/{AlgorithmVersion}`;

export const AlgorithmOps = {
  CreateAlgorithm: op('CreateAlgorithm', 'POST', ALGORITHMS, CreateAlgorithmResponse),
  ListAlgorithms: op('ListAlgorithms', 'GET', ALGORITHMS, ListAlgorithmsResponse),
  GetAlgorithm: op('GetAlgorithm', 'GET', ALGORITHM, GetAlgorithmResponse),
  UpdateAlgorithm: op('UpdateAlgorithm', 'PUT', ALGORITHM, UpdateAlgorithmResponse),
  DeleteAlgorithm: op('DeleteAlgorithm', 'DELETE', ALGORITHM, DeleteAlgorithmResponse),
  CreateAlgorithmVersion: op('CreateAlgorithmVersion', 'POST', VERSION, AlgorithmVersionAck),
  ListAlgorithmVersions: op('ListAlgorithmVersions', 'GET', VERSIONS, ListAlgorithmVersionsResponse),
  GetAlgorithmVersion: op('GetAlgorithmVersion', 'GET', VERSION, GetAlgorithmVersionResponse),
  UpdateAlgorithmVersion: op('UpdateAlgorithmVersion', 'PUT', VERSION, AlgorithmVersionAck),
  DeleteAlgorithmVersion: op('DeleteAlgorithmVersion', 'DELETE', VERSION, AckResponse),
} as const;

export interface ListAlgorithmsQuery {
  AlgorithmId?: string | undefined;
  AlgorithmName?: string | undefined;
  AlgorithmProvider?: string | undefined;
  WorkspaceId?: string | undefined;
  PageNumber: number;
  PageSize: number;
}

/** Upstream calls of the algorithm domain; every function is one upstream call. */
export function createAlgorithmsApi(upstream: UpstreamSession) {
  return {
    listAlgorithms: (query: ListAlgorithmsQuery) => upstream.call(AlgorithmOps.ListAlgorithms, { query }),
    getAlgorithm: (AlgorithmId: string) => upstream.call(AlgorithmOps.GetAlgorithm, { path: { AlgorithmId } }),
    createAlgorithm: (body: Record<string, unknown>) => upstream.call(AlgorithmOps.CreateAlgorithm, { body }),
    updateAlgorithm: (AlgorithmId: string, body: Record<string, unknown>) => upstream.call(AlgorithmOps.UpdateAlgorithm, { path: { AlgorithmId }, body }),
    deleteAlgorithm: (AlgorithmId: string) => upstream.call(AlgorithmOps.DeleteAlgorithm, { path: { AlgorithmId } }),
    listVersions: (AlgorithmId: string, query: { PageNumber: number; PageSize: number }) => upstream.call(AlgorithmOps.ListAlgorithmVersions, { path: { AlgorithmId }, query }),
    getVersion: (AlgorithmId: string, AlgorithmVersion: string) => upstream.call(AlgorithmOps.GetAlgorithmVersion, { path: { AlgorithmId, AlgorithmVersion } }),
    /** The spec travels as one form field holding its JSON (written by the client, in the SDK's key order). */
    createVersion: (AlgorithmId: string, AlgorithmVersion: string, spec: AlgorithmSpecDTO) =>
      upstream.call(AlgorithmOps.CreateAlgorithmVersion, { path: { AlgorithmId, AlgorithmVersion }, body: { AlgorithmSpec: spec } }),
    updateVersion: (AlgorithmId: string, AlgorithmVersion: string, spec: AlgorithmSpecDTO) =>
      upstream.call(AlgorithmOps.UpdateAlgorithmVersion, { path: { AlgorithmId, AlgorithmVersion }, body: { AlgorithmSpec: spec } }),
    deleteVersion: (AlgorithmId: string, AlgorithmVersion: string) => upstream.call(AlgorithmOps.DeleteAlgorithmVersion, { path: { AlgorithmId, AlgorithmVersion } }),
  };
}

export type AlgorithmsApi = ReturnType<typeof createAlgorithmsApi>;
