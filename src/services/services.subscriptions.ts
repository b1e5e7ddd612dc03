import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Feed } from '../core/subscriptions/feeds.js';
import { feedField } from '../core/subscriptions/fields.js';
import { parseInput } from '../core/validation.js';
import { createServicesDomain, easClusterId } from './index.js';
import { serviceName } from './services.inputs.js';

/**
 * An EAS service as subscriptions poll it: DescribeService, the way `service(name)` reads it
 * (in the region of the EAS endpoint). The record carries no RequestId and no token, so two
 * reads of an unchanged service compare equal and nothing secret reaches Redis.
 */
export const serviceFeed: Feed<{ name: string }> = {
  kind: 'service',
  noun: 'Service',
  actions: ['DescribeService'],
  key: (args) => parseInput(serviceName, args.name, 'name'),
  fetch: (upstream, name, origins) => createServicesDomain(upstream, easClusterId(origins.eas)).service(name),
};

/** Subscription fields of the service domain, by field (see core/subscriptions). */
export const serviceFeeds = { serviceChanged: serviceFeed };

export const serviceSubscriptionResolvers: Resolvers = {
  Subscription: {
    serviceChanged: feedField(serviceFeed, ({ name }, { services }) => services.service(name)),
  },
};
