import type { ZodType } from 'zod';
import type { UpstreamSession } from '../core/upstream/client.js';
import { defineOperation, type BodyType, type HttpMethod } from '../core/upstream/operation.js';
import { CreateTensorboardResponse, GetTensorboardResponse, ListTensorboardsResponse, SharedUrlResponse, TensorboardAck } from './tensorboards.dto.js';

/** pai-dlc 2020-12-03 TensorBoard operations. */
const op = <R>(action: string, method: HttpMethod, path: string, response: ZodType<R>, bodyType?: BodyType) =>
  defineOperation({ product: 'pai-dlc', action, method, path, response, ...(bodyType ? { bodyType } : {}) });

const TENSORBOARDS = '/api/v1/tensorboards';
const TENSORBOARD = `${TENSORBOARDS}/{TensorboardId}`;

export const TensorboardOps = {
  CreateTensorboard: op('CreateTensorboard', 'POST', TENSORBOARDS, CreateTensorboardResponse),
  GetTensorboard: op('GetTensorboard', 'GET', TENSORBOARD, GetTensorboardResponse),
  ListTensorboards: op('ListTensorboards', 'GET', TENSORBOARDS, ListTensorboardsResponse),
  StartTensorboard: op('StartTensorboard', 'PUT', `${TENSORBOARD}/start`, TensorboardAck, 'none'),
  StopTensorboard: op('StopTensorboard', 'PUT', `${TENSORBOARD}/stop`, TensorboardAck, 'none'),
  // UpdateTensorboard's fields all travel in the query string; there is no body.
  UpdateTensorboard: op('UpdateTensorboard', 'PUT', TENSORBOARD, TensorboardAck, 'none'),
  DeleteTensorboard: op('DeleteTensorboard', 'DELETE', TENSORBOARD, TensorboardAck),
  GetTensorboardSharedUrl: op('GetTensorboardSharedUrl', 'GET', `${TENSORBOARD}/sharedurl`, SharedUrlResponse),
} as const;

export type TensorboardKey = { id: string; workspaceId?: string | undefined; jobId?: string | undefined };

/** Upstream calls of the TensorBoard domain; every function is one upstream call. */
export function createTensorboardsApi(upstream: UpstreamSession) {
  const ref = (id: string, WorkspaceId?: string) => ({ path: { TensorboardId: id }, query: { WorkspaceId } });
  return {
    list: (query: Record<string, unknown>) => upstream.call(TensorboardOps.ListTensorboards, { query }),
    // The job parameter really is spelled `JodId` in the API.
    get: ({ id, workspaceId, jobId }: TensorboardKey) => upstream.call(TensorboardOps.GetTensorboard, { path: { TensorboardId: id }, query: { WorkspaceId: workspaceId, JodId: jobId } }),
    create: (body: Record<string, unknown>) => upstream.call(TensorboardOps.CreateTensorboard, { body }),
    start: (id: string, workspaceId?: string) => upstream.call(TensorboardOps.StartTensorboard, ref(id, workspaceId)),
    stop: (id: string, workspaceId?: string) => upstream.call(TensorboardOps.StopTensorboard, ref(id, workspaceId)),
    update: (id: string, query: Record<string, unknown>) => upstream.call(TensorboardOps.UpdateTensorboard, { path: { TensorboardId: id }, query }),
    delete: (id: string, workspaceId?: string) => upstream.call(TensorboardOps.DeleteTensorboard, ref(id, workspaceId)),
    /** ExpireTimeSeconds is a string parameter upstream. */
    sharedUrl: (id: string, expireTimeSeconds: number) => upstream.call(TensorboardOps.GetTensorboardSharedUrl, { path: { TensorboardId: id }, query: { ExpireTimeSeconds: String(expireTimeSeconds) } }),
  };
}

export type TensorboardsApi = ReturnType<typeof createTensorboardsApi>;
