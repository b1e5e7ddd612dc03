import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { parseGatewayTokens } from '../../src/core/auth.js';
import { TensorboardStatusDocument } from '../../src/__generated__/client/graphql.js';
import { STARTUP_MS } from '../../src/emulator/pai-dlc.js';
import { manualClock, startHarness, type Harness } from '../helpers/harness.js';
import { manualScheduler } from '../helpers/scheduler.js';
import { until } from '../helpers/until.js';

/**
 * The README's Apollo Client setup: queries and mutations over HTTP, subscriptions over
 * WebSocket (GraphQLWsLink), one URL. A subscription's answers land in the normalised cache.
 */

const clock = manualClock('2026-06-01T12:00:00Z');
const scheduler = manualScheduler();
let h: Harness;
let client: ApolloClient;
let ws: ReturnType<typeof createClient>;
const TOKEN = 'web-frontend-token-0123';
const authorization = `Bearer ${TOKEN}`;

beforeAll(async () => {
  h = await startHarness({ clock, subscriptions: { scheduler }, callers: { tokens: parseGatewayTokens(`web:${TOKEN}:read,write`), allowAnonymous: false } });
  // A function: read at each (re)connect, so a refreshed token is sent.
  ws = createClient({ url: h.wsUrl, webSocketImpl: WebSocket, connectionParams: () => ({ authorization }) });
  client = new ApolloClient({
    link: ApolloLink.split(({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION, new GraphQLWsLink(ws), new HttpLink({ uri: h.url, fetch, headers: { authorization } })),
    cache: new InMemoryCache(),
  });
});
afterAll(async () => {
  client.stop();
  await ws.dispose();
  await h.close();
});

describe('Apollo Client with GraphQLWsLink', () => {
  it('follows a TensorBoard from CREATING to RUNNING, updating the cache', async () => {
    const created = await h.gql(`mutation { createTensorboard(input: { displayName: "from-apollo", jobId: "dlc-apollo-1" }) { tensorboard { id } } }`, {}, { authorization });
    const id = created.body.data!.createTensorboard.tensorboard.id as string;
    const statuses: unknown[] = [];
    const subscription = client.subscribe({ query: TensorboardStatusDocument, variables: { id } }).subscribe({ next: (r) => void statuses.push(r.data?.tensorboardChanged?.status) });
    await until(() => statuses.length === 1);
    clock.advance(STARTUP_MS);
    scheduler.tick();
    await until(() => statuses.length === 2);
    expect(statuses).toEqual(['CREATING', 'RUNNING']);
    expect((client.cache.extract() as Record<string, unknown>)[`Tensorboard:${id}`]).toMatchObject({ id, displayName: 'from-apollo', status: 'RUNNING' });
    subscription.unsubscribe();
  });
});
