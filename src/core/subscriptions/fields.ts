import type { Context } from '../../context.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Feed } from './feeds.js';

/**
 * The resolvers of one subscription field over a feed: `subscribe` joins the resource's poll
 * loop (checking the arguments first, so bad ones cost no upstream call), and `resolve` reads
 * the resource for each event exactly as the matching query does, from the poll's recorded
 * answers (the event's context replays them).
 */
export function feedField<A, T>(feed: Feed<A>, read: (args: A, ctx: Context) => T) {
  return {
    subscribe: (_root: unknown, args: A, ctx: Context) => {
      if (!ctx.feeds) throw new GatewayError(ErrorCode.BAD_USER_INPUT, 'Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql.');
      return ctx.feeds.watch(feed, args);
    },
    resolve: (_snapshot: unknown, args: A, ctx: Context) => read(args, ctx),
  };
}
