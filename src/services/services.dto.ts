import { z } from 'zod';
import { integer, isoTime, list, requestId, text } from '../core/dto.js';

/**
 * zod schemas of EAS 2021-07-01 payloads (upstream-contract section 12). Their outputs are the
 * codegen mappers of `Service`.
 *
 * A service's `AccessToken` authorizes calls to its inference endpoint: it is read here only
 * to learn whether there is one and then dropped, and so are the credentials a service config
 * may carry (`token`, `dockerAuth`, ...). No object after this layer holds them, so nothing
 * can return, log or cache them.
 */

/** Keys whose values are credentials wherever they sit in a service config (compared without case, `_` and `-`). */
const SECRET_KEYS = new Set(['token', 'dockerauth', 'accesstoken', 'password', 'secret']);
export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''));

/** A JSON value with every credential-named key left out, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (isSecretKey(k) ? [] : [[k, withoutSecrets(v)]])));
}

/** Every string a credential-named key holds, at any depth (to blank out of upstream messages). */
export function secretsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => secretsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isSecretKey(k) && typeof v === 'string' && v) out.push(v);
      else secretsIn(v, out);
    }
  }
  return out;
}

/**
 * A JSON text EAS sends (ServiceConfig, ExtraData, AppConfig, RoleAttrs), parsed and without
 * credentials; null when empty or not JSON (the raw text is not kept: it may hold a token).
 */
const jsonText = z
  .string()
  .nullish()
  .transform((s) => {
    if (!s) return null;
    try {
      return withoutSecrets(JSON.parse(s) as unknown);
    } catch {
      return null;
    }
  });

const flag = z.boolean().nullish();

export const ServiceLabelDTO = z.object({ LabelKey: z.string(), LabelValue: text });
export type ServiceLabelDTO = z.infer<typeof ServiceLabelDTO>;

const ServiceFields = z.object({
  ServiceName: z.string().min(1),
  ServiceId: text,
  ServiceUid: text,
  Status: text,
  Reason: text,
  Message: text,
  Region: text,
  /** DescribeService only. */
  InternetEndpoint: text,
  IntranetEndpoint: text,
  SecondaryInternetEndpoint: text,
  SecondaryIntranetEndpoint: text,
  AccessToken: text,
  Image: text,
  ServiceConfig: jsonText,
  ExtraData: jsonText,
  AppConfig: jsonText,
  AppSpecName: text,
  AppType: text,
  AppVersion: text,
  CallerUid: text,
  ParentUid: text,
  CreateTime: isoTime,
  UpdateTime: isoTime,
  Cpu: integer,
  /** MB per instance. */
  Memory: integer,
  Gpu: integer,
  GPUCorePercentage: z.number().nullish(),
  GPUMemory: z.number().nullish(),
  TotalInstance: integer,
  RunningInstance: integer,
  PendingInstance: integer,
  CurrentVersion: integer,
  LatestVersion: integer,
  Weight: integer,
  Labels: list(ServiceLabelDTO),
  Namespace: text,
  Resource: text,
  ResourceAlias: text,
  QuotaId: text,
  Gateway: text,
  Role: text,
  /** DescribeService only. */
  RoleAttrs: jsonText,
  ServiceGroup: text,
  SafetyLock: text,
  Source: text,
  TrafficState: text,
  WorkspaceId: text,
  WorkloadType: text,
  AutoscalerEnabled: flag,
  CronscalerEnabled: flag,
  ResourceBurstable: flag,
  InstanceCountInResource: z.object({ Dedicated: integer, Public: integer, Quota: integer }).nullish(),
});

/** The token is dropped; what remains says whether there was one. */
const dropToken = <T extends { AccessToken?: string | null | undefined }>({ AccessToken, ...rest }: T) => ({
  ...rest,
  HasAccessToken: typeof AccessToken === 'string' && AccessToken.length > 0,
});

/** A service as DescribeService returns it (the body is the Service). */
export const ServiceDTO = ServiceFields.transform(dropToken);

/**
 * A service as the gateway holds it. `Listed` marks a ListServices item, which lacks the
 * endpoints and RoleAttrs; `HasAccessToken` is null for the object a deploy answers with,
 * before EAS has said anything about the token.
 */
export type ServiceRecord = Omit<z.output<typeof ServiceDTO>, 'HasAccessToken'> & { readonly HasAccessToken: boolean | null; readonly Listed?: true };

export const DescribeServiceResponse = ServiceFields.extend({ RequestId: requestId }).transform(({ RequestId: _r, ...s }) => dropToken(s));
export const ListServicesResponse = z.object({
  Services: list(ServiceFields.transform((s): ServiceRecord => ({ ...dropToken(s), Listed: true }))),
  TotalCount: z.number().int().nonnegative(),
  PageNumber: integer,
  PageSize: integer,
  RequestId: requestId,
});
export const CreateServiceResponse = z.object({
  ServiceName: z.string().min(1),
  ServiceId: text,
  Status: text,
  Region: text,
  InternetEndpoint: text,
  IntranetEndpoint: text,
  RequestId: requestId,
});
export type CreateServiceResponse = z.infer<typeof CreateServiceResponse>;
/** What the asynchronous writes answer: a message; the outcome is read back with DescribeService. */
export const ServiceAck = z.object({ Message: text, RequestId: requestId });
