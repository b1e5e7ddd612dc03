import { z } from 'zod';
import { byteLength, compact, idOf, jsonObjectInput, oneOf, opt } from '../core/validation.js';
import { versionName } from '../models/index.js';
import { ServiceOrderField, ServiceStatus } from './services.enums.js';

/**
 * Validation of GraphQL input for EAS services and its translation to EAS's parameters and
 * service config. Counts and resources have ranges (the gateway's own where EAS documents
 * none), so a deployment that could never run is refused before anything is sent.
 */

/** Input fields whose values never appear in an error message (credentials inside a config). */
export const SECRET_FIELDS = ['token', 'dockerAuth', 'access_token', 'accessToken', 'password', 'secret'] as const;

/** The labels pai-graph sets on every service it deploys, naming the model version deployed. */
export const MODEL_LABEL = 'pai-graph.model-id';
export const VERSION_LABEL = 'pai-graph.model-version';
const RESERVED_LABEL_PREFIX = 'pai-graph.';

export const MIN_SERVICE_NAME = 3;
export const MAX_SERVICE_NAME = 63;
const NAME_RULE = `must start with a lower-case letter and hold ${MIN_SERVICE_NAME} to ${MAX_SERVICE_NAME} lower-case letters, digits and underscores`;

/**
 * A service name by EAS's rule: a lower-case letter, then lower-case letters, digits and
 * underscores, 3 to 63 characters in all. Such a name is always one safe URL path segment.
 */
export const serviceName = z
  .string()
  .min(MIN_SERVICE_NAME, NAME_RULE)
  .max(MAX_SERVICE_NAME, NAME_RULE)
  .regex(/^[a-z][a-z0-9_]*$/, NAME_RULE);

/** A service id (EAS `ServiceId`, the same value as `ServiceUid`), e.g. `eas-m-aaxxxddf`. */
export const serviceUid = idOf('service');

export const MAX_INSTANCES = 100;
export const MAX_CPU = 128;
/** MB per instance: 1 TiB. */
export const MAX_MEMORY_MB = 1_048_576;
export const MAX_GPU = 16;
export const MAX_LABELS = 20;

const between = (min: number, max: number, unit = '') => z.number().int(`must be a whole number from ${min} to ${max}${unit}`).min(min, `must be from ${min} to ${max}${unit}`).max(max, `must be from ${min} to ${max}${unit}`);
const instanceCount = between(1, MAX_INSTANCES);
const cpu = between(1, MAX_CPU, ' cores');
const memory = between(1, MAX_MEMORY_MB, ' MB');
const gpu = between(0, MAX_GPU);
const instanceType = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^ecs\.[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be an ECS instance type such as ecs.gn6i-c4g1.xlarge');
const resource = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^eas-r-[a-z0-9]+$/, 'must be a dedicated resource group id such as eas-r-abc123');
const processor = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^\S+$/, 'must not contain whitespace');
const workspaceId = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a workspace id (letters, digits, _ and -)');

const labelKey = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => byteLength(s) <= 128, 'must be at most 128 bytes')
  .refine((s) => !s.startsWith(RESERVED_LABEL_PREFIX), `must not start with ${RESERVED_LABEL_PREFIX} (pai-graph sets those labels itself)`);
const labelValue = z.string().refine((s) => byteLength(s) <= 256, 'must be at most 256 bytes');
const labels = z
  .array(z.object({ key: labelKey, value: labelValue }))
  .max(MAX_LABELS, `must hold at most ${MAX_LABELS} labels`)
  .superRefine((ls, ctx) => {
    const seen = new Set<string>();
    ls.forEach((l, i) => {
      if (seen.has(l.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'must not repeat a key' });
      seen.add(l.key);
    });
  })
  .transform((ls) => Object.fromEntries(ls.map((l) => [l.key, l.value])));

/** Resource fields shared by deploy and update, as they go into the config's `metadata` and `cloud`. */
const resources = { instanceCount: opt(instanceCount), cpu: opt(cpu), memory: opt(memory), gpu: opt(gpu), instanceType: opt(instanceType), processor: opt(processor) };

/** What deployModelVersion needs, with the labels that link the service to the version. */
export const DeployModelVersionInput = z
  .object({
    modelId: idOf('model'),
    versionName,
    serviceName,
    ...resources,
    resource: opt(resource),
    workspaceId: opt(workspaceId),
    labels: opt(labels),
  })
  .transform((v) => ({ ...v, labels: { [MODEL_LABEL]: v.modelId, [VERSION_LABEL]: v.versionName, ...v.labels } }));
export type DeployModelVersionInput = z.output<typeof DeployModelVersionInput>;

/** Config keys an update may not send: the name cannot change (an update never renames). */
const configPatch = jsonObjectInput.superRefine((c, ctx) => {
  if ('name' in c) ctx.addIssue({ code: 'custom', path: ['name'], message: 'must not be set: a service cannot be renamed' });
  const meta = c.metadata;
  if (meta && typeof meta === 'object' && 'name' in meta) ctx.addIssue({ code: 'custom', path: ['metadata', 'name'], message: 'must not be set: a service cannot be renamed' });
});

export const UpdateServiceInput = z
  .object({ name: serviceName, ...resources, config: opt(configPatch) })
  .superRefine((v, ctx) => {
    const { name: _n, ...changes } = v;
    if (Object.values(changes).every((c) => c === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'must change something: instanceCount, cpu, memory, gpu, instanceType, processor or config' });
  });
export type UpdateServiceInput = z.output<typeof UpdateServiceInput>;

export const ServiceRefInput = z.object({ name: serviceName });

/** `services(filter:)` as ListServices query parameters. */
export const ServiceFilterInput = z
  .object({
    name: opt(serviceName),
    search: opt(z.string().min(1, 'must not be empty').max(MAX_SERVICE_NAME, `must be at most ${MAX_SERVICE_NAME} characters`)),
    status: opt(oneOf(ServiceStatus, 'ServiceStatus')),
    labels: opt(
      z
        .array(z.object({ key: z.string().min(1, 'must not be empty').refine((s) => byteLength(s) <= 128, 'must be at most 128 bytes'), value: labelValue }))
        .max(MAX_LABELS, `must hold at most ${MAX_LABELS} labels`),
    ),
    workspaceId: opt(workspaceId),
    resource: opt(z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters')),
  })
  .nullish()
  .transform((f) =>
    compact({
      ServiceName: f?.name,
      Filter: f?.search,
      ServiceStatus: f?.status,
      Label: f?.labels?.length ? Object.fromEntries(f.labels.map((l) => [l.key, l.value])) : undefined,
      WorkspaceId: f?.workspaceId,
      ResourceName: f?.resource,
    }),
  );

/** EAS sorts with lower-case `asc` / `desc`. */
export const ServiceOrderInput = z
  .object({ field: oneOf(ServiceOrderField, 'ServiceOrderField'), direction: z.enum(['ASC', 'DESC']) })
  .nullish()
  .transform((o) => (o ? { Sort: o.field, Order: o.direction.toLowerCase() as 'asc' | 'desc' } : {}));
