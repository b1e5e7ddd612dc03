import type { AlgorithmSpec, Channel } from '../__generated__/resolvers-types.js';
import type { AlgorithmSpecDTO } from './algorithms.dto.js';

/**
 * PaiStudio's AlgorithmSpec as the GraphQL `AlgorithmSpec` value. The spec is a value type
 * (no identity, no loaders), so it is converted once here rather than field by field.
 */
type ChannelDTO = AlgorithmSpecDTO['InputChannels'][number];

const channel = (c: ChannelDTO): Channel => ({
  name: c.Name,
  description: c.Description ?? null,
  required: c.Required ?? null,
  supportedChannelTypes: c.SupportedChannelTypes,
  properties: c.Properties ?? null,
});

const progress = (p: { Description?: string | null | undefined; Regex?: string | null | undefined } | null | undefined) =>
  p ? { description: p.Description ?? null, regex: p.Regex ?? null } : null;

export function toAlgorithmSpec(s: AlgorithmSpecDTO): AlgorithmSpec {
  return {
    image: s.Image,
    command: s.Command,
    jobType: s.JobType,
    codeDir: s.CodeDir ? { locationType: s.CodeDir.LocationType ?? null, locationValue: s.CodeDir.LocationValue ?? null } : null,
    hyperParameters: s.HyperParameters.map((h) => ({
      name: h.Name,
      type: h.Type,
      defaultValue: h.DefaultValue ?? null,
      displayName: h.DisplayName ?? null,
      description: h.Description ?? null,
      required: h.Required ?? null,
      range: h.Range
        ? {
            enum: h.Range.Enum ?? null,
            minimum: h.Range.Minimum ?? null,
            maximum: h.Range.Maximum ?? null,
            exclusiveMinimum: h.Range.ExclusiveMinimum ?? null,
            exclusiveMaximum: h.Range.ExclusiveMaximum ?? null,
            minLength: h.Range.MinLength ?? null,
            maxLength: h.Range.MaxLength ?? null,
            pattern: h.Range.Pattern ?? null,
          }
        : null,
    })),
    inputChannels: s.InputChannels.map(channel),
    outputChannels: s.OutputChannels.map(channel),
    metricDefinitions: s.MetricDefinitions.map((m) => ({ name: m.Name, regex: m.Regex, description: m.Description ?? null })),
    progressDefinitions: s.ProgressDefinitions ? { overallProgress: progress(s.ProgressDefinitions.OverallProgress), remainingTime: progress(s.ProgressDefinitions.RemainingTime) } : null,
    resourceRequirements: s.ResourceRequirements.map((c) => ({ key: c.Key, operator: c.Operator, values: c.Values })),
    supportedInstanceTypes: s.SupportedInstanceTypes,
    supportsDistributedTraining: s.SupportsDistributedTraining ?? null,
    computeResource: s.ComputeResource ? { policy: s.ComputeResource.Policy ? { value: s.ComputeResource.Policy.Value, version: s.ComputeResource.Policy.Version } : null } : null,
    customization: s.Customization ? { codeDir: s.Customization.CodeDir ?? null } : null,
  };
}
