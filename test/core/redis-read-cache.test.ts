import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/core/logger.js';
import { createRedis } from '../../src/core/redis.js';
import { createRedisReadCache } from '../../src/core/upstream/redis-read-cache.js';
import { startHarness, TEST_ACCESS_KEY, TEST_API_KEY, type Harness } from '../helpers/harness.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

/**
 * The read cache shared through Redis by two replicas (two gateways over one emulator), on a
 * private redis-server the tests stop and restart.
 */

let redis: PrivateRedis;
let clients: Redis[];
let a: Harness;
let b: Harness;
const errors: string[] = [];
const MODEL_API_KEY = 'sk-judge-model-key-7c6b5a4d3e2f1a0b';

beforeAll(async () => {
  redis = await startPrivateRedis();
  const silent = createLogger({ level: 'silent' });
  clients = [createRedis(redis.url, silent), createRedis(redis.url, silent)];
  await until(() => clients.every((c) => c.status === 'ready'));
  const store = (c: Redis) => createRedisReadCache({ redis: c, onError: (operation) => void errors.push(operation) });
  a = await startHarness({ cache: { ttls: 'Get*=60,List*=60', store: store(clients[0]!) } });
  b = await startHarness({ cache: { ttls: 'Get*=60,List*=60', store: store(clients[1]!) }, emulator: a.emulator });
});
afterAll(async () => {
  await b.close();
  await a.close();
  for (const c of clients) c.disconnect();
  await redis.stop();
});
beforeEach(async () => {
  if (clients[0]!.status === 'ready') await clients[0]!.flushall();
  a.resetCalls();
  a.shared.length = 0;
  b.shared.length = 0;
  errors.length = 0;
});

const MODEL = `query($id: ID!) { model(id: $id) { id name description } }`;
const count = (action: string) => a.actions().filter((x) => x === action).length;

async function firstModelId(): Promise<string> {
  const r = await a.gql(`{ models(first: 1) { nodes { id } } }`);
  a.resetCalls();
  return r.body.data!.models.nodes[0].id as string;
}

describe('the read cache shared through Redis', () => {
  it('a read one replica made answers the same read on another', async () => {
    const id = await firstModelId();
    const first = await a.gql(MODEL, { id });
    const second = await b.gql(MODEL, { id });
    expect(second.result).toEqual(first.result);
    expect(count('GetModel')).toBe(1);
    expect(b.shared).toEqual([{ action: 'GetModel', via: 'cache' }]);
  });

  it('a mutation on one replica drops the entry for every replica', async () => {
    const id = await firstModelId();
    await a.gql(MODEL, { id });
    await a.gql(`{ models(first: 3) { nodes { id } } }`);
    const write = await b.gql(`mutation($id: ID!) { updateModel(input: { id: $id, description: "changed on replica b" }) { __typename } }`, { id });
    expect(write.body.errors).toBeUndefined();
    expect((await a.gql(MODEL, { id })).body.data!.model.description).toBe('changed on replica b');
    await a.gql(`{ models(first: 3) { nodes { id } } }`);
    expect(a.actions()).toEqual(['GetModel', 'ListModels', 'UpdateModel', 'GetModel', 'ListModels']);
  });

  it('keeps what the schema parsed, never the raw body: no eval-task model API key in Redis', async () => {
    const created = await a.gql(
      `mutation($input: CreateEvalTaskInput!) { createEvalTask(input: $input) { evalTask { id } } }`,
      {
        input: {
          name: 'cached-task',
          appName: 'demo-app',
          modelConfig: { name: 'qwen-max', endpoint: 'https://judge.example.com/v1', apiKey: MODEL_API_KEY },
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createEvalTask.evalTask.id as string;
    const q = `query($id: ID!) { evalTask(id: $id) { id modelConfig { name hasApiKey } } }`;
    expect((await a.gql(q, { id })).body.data!.evalTask.modelConfig.hasApiKey).toBe(true);
    expect((await b.gql(q, { id })).body.data!.evalTask.modelConfig.hasApiKey).toBe(true);
    expect(b.shared.map((s) => s.action)).toEqual(['GetOnlineEvalTask']);

    const keys = await clients[0]!.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    const dump = JSON.stringify(await Promise.all(keys.map(async (k) => [k, (await clients[0]!.type(k)) === 'string' ? await clients[0]!.get(k) : await clients[0]!.smembers(k)])));
    for (const secret of [MODEL_API_KEY, TEST_API_KEY, TEST_ACCESS_KEY.accessKeySecret.reveal(), TEST_ACCESS_KEY.accessKeyId]) expect(dump).not.toContain(secret);
  });

  it('keeps answering from PAI while Redis is down, and shares again once it is back', async () => {
    const id = await firstModelId();
    await redis.stop();
    await until(() => clients.every((c) => c.status !== 'ready'));
    const down = await Promise.all([a.gql(MODEL, { id }), b.gql(MODEL, { id }), a.gql(MODEL, { id })]);
    for (const r of down) {
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.model.id).toBe(id);
    }
    // Nothing shared through Redis: each replica went upstream (two identical reads in one
    // replica may still have shared a request in flight).
    expect(count('GetModel')).toBeGreaterThanOrEqual(2);
    expect(errors).toContain('lookup');
    const write = await a.gql(`mutation($id: ID!) { updateModel(input: { id: $id, description: "written while redis was down" }) { __typename } }`, { id });
    expect(write.body.errors).toBeUndefined();
    expect(errors).toContain('invalidate');

    await redis.start();
    await until(() => clients.every((c) => c.status === 'ready'));
    a.resetCalls();
    b.shared.length = 0;
    await a.gql(MODEL, { id });
    await b.gql(MODEL, { id });
    expect(count('GetModel')).toBe(1);
    expect(b.shared).toEqual([{ action: 'GetModel', via: 'cache' }]);
  });
});
