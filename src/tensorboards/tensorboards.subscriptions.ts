import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Feed } from '../core/subscriptions/feeds.js';
import { feedField } from '../core/subscriptions/fields.js';
import { parseInput } from '../core/validation.js';
import { createTensorboardsDomain } from './index.js';
import { TensorboardKeyInput } from './tensorboards.inputs.js';

/** A TensorBoard as subscriptions poll it: GetTensorboard, the way `tensorboard(id)` reads it. */
export const tensorboardFeed: Feed<{ id: string }> = {
  kind: 'tensorboard',
  noun: 'TensorBoard',
  actions: ['GetTensorboard'],
  key: (args) => parseInput(TensorboardKeyInput, { id: args.id }, '').id,
  async fetch(upstream, id) {
    const found = await createTensorboardsDomain(upstream).tensorboard({ id });
    if (!found) return null;
    // The record without the answer's RequestId, which differs on every read.
    const { RequestId: _requestId, ...record } = found as typeof found & { RequestId?: string };
    return record;
  },
};

/** Subscription fields of the TensorBoard domain, by field (see core/subscriptions). */
export const tensorboardFeeds = { tensorboardChanged: tensorboardFeed };

export const tensorboardSubscriptionResolvers: Resolvers = {
  Subscription: {
    tensorboardChanged: feedField(tensorboardFeed, ({ id }, { tensorboards }) => tensorboards.tensorboard({ id })),
  },
};
