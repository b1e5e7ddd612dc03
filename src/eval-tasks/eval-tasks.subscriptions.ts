import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Feed } from '../core/subscriptions/feeds.js';
import { feedField } from '../core/subscriptions/fields.js';
import { parseInput } from '../core/validation.js';
import { createEvalTasksDomain } from './index.js';
import { taskId } from './eval-tasks.inputs.js';

/**
 * An evaluation task as subscriptions poll it: GetOnlineEvalTask, the way `evalTask(id)` reads
 * it (so the last sampling window, which only Get has, comes from the same read).
 */
export const evalTaskFeed: Feed<{ id: string }> = {
  kind: 'eval-task',
  noun: 'Evaluation task',
  actions: ['GetOnlineEvalTask'],
  key: (args) => parseInput(taskId, args.id, 'id'),
  fetch: (upstream, id) => createEvalTasksDomain(upstream).task(id),
};

/** Subscription fields of the eval-task domain, by field (see core/subscriptions). */
export const evalTaskFeeds = { evalTaskChanged: evalTaskFeed };

export const evalTaskSubscriptionResolvers: Resolvers = {
  Subscription: {
    evalTaskChanged: feedField(evalTaskFeed, ({ id }, { evalTasks }) => evalTasks.task(id)),
  },
};
