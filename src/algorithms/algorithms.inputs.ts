import { z } from 'zod';
import { compact, idOf, jsonObjectInput, opt } from '../core/validation.js';
import type { AlgorithmSpecDTO } from './algorithms.dto.js';

/**
 * Validation of GraphQL input for the algorithm domain and its translation to PaiStudio's
 * field names. A malformed spec is refused here, before any upstream call.
 */

export const algorithmId = idOf('algorithm');

export const algorithmName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be 1 to 64 letters, digits, "_" or "-", starting with a letter');

export const versionName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-", e.g. v0.1.0');

const nonEmpty = (what = 'must not be empty') => z.string().refine((s) => s.trim().length > 0, what);

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

const numberText = z.string().refine((s) => s.trim() !== '' && Number.isFinite(Number(s)), 'must be a number');

const uniqueNames = <T extends { name: string }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `must be unique (${JSON.stringify(item.name)} appears twice)` });
    seen.add(item.name);
  });
};

const Range = z
  .object({
    enum: opt(z.array(z.string()).min(1, 'must hold at least one value')),
    minimum: opt(numberText),
    maximum: opt(numberText),
    exclusiveMinimum: opt(z.boolean()),
    exclusiveMaximum: opt(z.boolean()),
    minLength: opt(z.number().int().min(0, 'must be 0 or more')),
    maxLength: opt(z.number().int().min(0, 'must be 0 or more')),
    pattern: opt(regex),
  })
  .superRefine((r, ctx) => {
    if (r.minimum !== undefined && r.maximum !== undefined && Number(r.maximum) < Number(r.minimum)) ctx.addIssue({ code: 'custom', path: ['maximum'], message: 'must not be below minimum' });
    if (r.minLength !== undefined && r.maxLength !== undefined && r.maxLength < r.minLength) ctx.addIssue({ code: 'custom', path: ['maxLength'], message: 'must not be below minLength' });
  });

const HyperParameter = z
  .object({
    name: nonEmpty(),
    type: nonEmpty(),
    defaultValue: opt(z.string()),
    displayName: opt(z.string()),
    description: opt(z.string()),
    required: opt(z.boolean()),
    range: opt(Range),
  })
  .superRefine((h, ctx) => {
    if (h.defaultValue !== undefined && h.range?.enum && !h.range.enum.includes(h.defaultValue)) {
      ctx.addIssue({ code: 'custom', path: ['defaultValue'], message: 'must be one of range.enum' });
    }
  });

const Channel = z.object({
  name: nonEmpty(),
  description: opt(z.string()),
  required: opt(z.boolean()),
  supportedChannelTypes: opt(z.array(nonEmpty())),
  properties: opt(jsonObjectInput),
});

const Progress = z.object({ description: opt(z.string()), regex: opt(regex) });

const channels = z.array(Channel).superRefine(uniqueNames);

export const AlgorithmSpecInput = z
  .object({
    image: nonEmpty('must name a container image'),
    command: z.array(z.string()).min(1, 'must hold at least one argument'),
    jobType: nonEmpty(),
    codeDir: opt(z.object({ locationType: z.enum(['OSS', 'NAS'], { error: 'must be OSS or NAS' }), locationValue: opt(jsonObjectInput) })),
    hyperParameters: opt(z.array(HyperParameter).superRefine(uniqueNames)),
    inputChannels: opt(channels),
    outputChannels: opt(channels),
    metricDefinitions: opt(z.array(z.object({ name: nonEmpty(), regex, description: opt(z.string()) })).superRefine(uniqueNames)),
    progressDefinitions: opt(z.object({ overallProgress: opt(Progress), remainingTime: opt(Progress) })),
    resourceRequirements: opt(z.array(z.object({ key: nonEmpty(), operator: nonEmpty(), values: z.array(z.string()).min(1, 'must hold at least one value') }))),
    supportedInstanceTypes: opt(z.array(nonEmpty())),
    supportsDistributedTraining: opt(z.boolean()),
    computeResource: opt(
      z.object({
        policy: z.object({
          value: z.string().refine((s) => {
            try {
              return Array.isArray(JSON.parse(s));
            } catch {
              return false;
            }
          }, 'must be a JSON array, as text'),
          version: nonEmpty(),
        }),
      }),
    ),
    customization: opt(z.object({ codeDir: opt(z.boolean()) })),
  })
  .transform(
    (s): AlgorithmSpecDTO =>
      compact({
        Image: s.image,
        Command: s.command,
        JobType: s.jobType,
        CodeDir: s.codeDir && compact({ LocationType: s.codeDir.locationType, LocationValue: s.codeDir.locationValue }),
        HyperParameters: s.hyperParameters?.map((h) =>
          compact({
            Name: h.name,
            Type: h.type,
            DefaultValue: h.defaultValue,
            DisplayName: h.displayName,
            Description: h.description,
            Required: h.required,
            Range: h.range && compact({ Enum: h.range.enum, Minimum: h.range.minimum, Maximum: h.range.maximum, ExclusiveMinimum: h.range.exclusiveMinimum, ExclusiveMaximum: h.range.exclusiveMaximum, MinLength: h.range.minLength, MaxLength: h.range.maxLength, Pattern: h.range.pattern }),
          }),
        ),
        InputChannels: s.inputChannels?.map(channelToUpstream),
        OutputChannels: s.outputChannels?.map(channelToUpstream),
        MetricDefinitions: s.metricDefinitions?.map((m) => compact({ Name: m.name, Regex: m.regex, Description: m.description })),
        ProgressDefinitions: s.progressDefinitions && compact({ OverallProgress: progressToUpstream(s.progressDefinitions.overallProgress), RemainingTime: progressToUpstream(s.progressDefinitions.remainingTime) }),
        ResourceRequirements: s.resourceRequirements?.map((c) => ({ Key: c.key, Operator: c.operator, Values: c.values })),
        SupportedInstanceTypes: s.supportedInstanceTypes,
        SupportsDistributedTraining: s.supportsDistributedTraining,
        ComputeResource: s.computeResource && { Policy: { Value: s.computeResource.policy.value, Version: s.computeResource.policy.version } },
        Customization: s.customization && compact({ CodeDir: s.customization.codeDir }),
      }) as AlgorithmSpecDTO,
  );

function channelToUpstream(c: z.output<typeof Channel>) {
  return compact({ Name: c.name, Description: c.description, Required: c.required, SupportedChannelTypes: c.supportedChannelTypes, Properties: c.properties });
}

function progressToUpstream(p: z.output<typeof Progress> | undefined) {
  return p && compact({ Description: p.description, Regex: p.regex });
}

export const AlgorithmFilterInput = z
  .object({ id: opt(z.string()), name: opt(z.string()), provider: opt(z.string()), workspaceId: opt(z.string()) })
  .nullish()
  .transform((f) => compact({ AlgorithmId: f?.id, AlgorithmName: f?.name, AlgorithmProvider: f?.provider, WorkspaceId: f?.workspaceId }));

export const CreateAlgorithmInput = z
  .object({ name: algorithmName, displayName: opt(z.string().max(128, 'must be at most 128 characters')), description: opt(z.string()), workspaceId: opt(nonEmpty()) })
  .transform((v) => compact({ AlgorithmName: v.name, DisplayName: v.displayName, AlgorithmDescription: v.description, WorkspaceId: v.workspaceId }));

export const UpdateAlgorithmInput = z
  .object({ id: algorithmId, displayName: opt(z.string().max(128, 'must be at most 128 characters')), description: opt(z.string()) })
  .transform((v) => ({ id: v.id, body: compact({ DisplayName: v.displayName, AlgorithmDescription: v.description }) }));

export const DeleteAlgorithmInput = z.object({ id: algorithmId });

export const AlgorithmVersionInput = z.object({ algorithmId, name: versionName, spec: AlgorithmSpecInput });

export const DeleteAlgorithmVersionInput = z.object({ algorithmId, name: versionName });
