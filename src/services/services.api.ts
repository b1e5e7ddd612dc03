import type { ZodType } from 'zod';
import type { UpstreamSession } from '../core/upstream/client.js';
import { defineOperation, type BodyType, type HttpMethod } from '../core/upstream/operation.js';
import { CreateServiceResponse, DescribeServiceResponse, ListServicesResponse, ServiceAck } from './services.dto.js';

/**
 * EAS 2021-07-01 service operations, as the official SDK sends them. CreateService and
 * UpdateService carry the service config as a raw JSON body; `Labels` (create) and `Label`
 * (list) are maps sent as one JSON query parameter, keeping the caller's key order.
 */
const op = <R>(action: string, method: HttpMethod, path: string, response: ZodType<R>, bodyType?: BodyType) =>
  defineOperation({ product: 'eas', action, method, path, response, opaque: ['Labels', 'Label'], ...(bodyType ? { bodyType } : {}) });

const SERVICES = '/api/v2/services';
const SERVICE = `${SERVICES}/{ClusterId}/{ServiceName}`;

export const ServiceOps = {
  CreateService: op('CreateService', 'POST', SERVICES, CreateServiceResponse, 'raw'),
  DescribeService: op('DescribeService', 'GET', SERVICE, DescribeServiceResponse),
  ListServices: op('ListServices', 'GET', SERVICES, ListServicesResponse),
  UpdateService: op('UpdateService', 'PUT', SERVICE, ServiceAck, 'raw'),
  StartService: op('StartService', 'PUT', `${SERVICE}/start`, ServiceAck, 'none'),
  StopService: op('StopService', 'PUT', `${SERVICE}/stop`, ServiceAck, 'none'),
  DeleteService: op('DeleteService', 'DELETE', SERVICE, ServiceAck),
} as const;

/** EAS's page size when none is given, and the largest the gateway asks for. */
export const SERVICE_MAX_PAGE_SIZE = 100;

export interface ListServicesQuery {
  ServiceName?: string | undefined;
  ServiceUid?: string | undefined;
  Filter?: string | undefined;
  ServiceStatus?: string | undefined;
  Label?: Record<string, string> | undefined;
  WorkspaceId?: string | undefined;
  ResourceName?: string | undefined;
  Sort?: string | undefined;
  Order?: 'asc' | 'desc' | undefined;
  PageNumber: number;
  PageSize: number;
}

/**
 * Upstream calls of the service domain; every function is one upstream call. `clusterId` is
 * the region the EAS endpoint serves, which every service path names. `secrets` are values a
 * config carries (a token) that must not reach an error message.
 */
export function createServicesApi(upstream: UpstreamSession, clusterId: string) {
  const at = (ServiceName: string) => ({ ClusterId: clusterId, ServiceName });
  return {
    list: (query: ListServicesQuery) => upstream.call(ServiceOps.ListServices, { query }),
    describe: (name: string) => upstream.call(ServiceOps.DescribeService, { path: at(name) }),
    create: (config: string, query: { Labels?: Record<string, string> | undefined; WorkspaceId?: string | undefined }, secrets: string[]) =>
      upstream.call(ServiceOps.CreateService, { query, body: config, secrets }),
    update: (name: string, patch: string, secrets: string[]) => upstream.call(ServiceOps.UpdateService, { path: at(name), body: patch, secrets }),
    start: (name: string) => upstream.call(ServiceOps.StartService, { path: at(name) }),
    stop: (name: string) => upstream.call(ServiceOps.StopService, { path: at(name) }),
    delete: (name: string) => upstream.call(ServiceOps.DeleteService, { path: at(name) }),
  };
}

export type ServicesApi = ReturnType<typeof createServicesApi>;
