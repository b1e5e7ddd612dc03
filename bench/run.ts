/**
 * `npm run bench [-- --seconds 5 --connections 20]`: the gateway's throughput and latency over
 * the in-process emulator, per scenario, with the upstream calls each operation made. The
 * emulator shares the process (and the CPU), so read the figures as ratios between scenarios,
 * not as absolute capacity. Governor limits and caller budgets are lifted so they do not
 * become the thing measured.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createLogger } from '../src/core/logger.js';
import { createMetrics } from '../src/core/metrics.js';
import { Secret } from '../src/core/secret.js';
import { createUpstreamClient } from '../src/core/upstream/client.js';
import { staticCredentials } from '../src/core/upstream/credentials.js';
import { createGovernor, parseQpsLimits } from '../src/core/upstream/governor.js';
import { PRODUCT_NAMES, type ProductName } from '../src/core/upstream/products.js';
import { createAccessKeySigner } from '../src/core/upstream/signer.js';
import { createEmulator } from '../src/emulator/index.js';
import { createServer } from '../src/server.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '20' }, only: { type: 'string' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const credential = { accessKeyId: 'BENCHAKID0000001', accessKeySecret: new Secret('bench-secret-0000000000') };
const emulator = createEmulator({ accessKeys: [credential] });
const emulatorUrl = await emulator.listen();
const logger = createLogger({ level: 'silent' });
const metrics = createMetrics({ defaultMetrics: false });
const qpsLimits = parseQpsLimits('*=10000');
const upstream = createUpstreamClient({
  origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, emulatorUrl])) as Record<ProductName, string>,
  signer: createAccessKeySigner({ credentials: staticCredentials(credential) }),
  timeoutMs: 10_000,
  logger,
  governor: createGovernor({ rules: qpsLimits }),
  events: metrics.upstreamEvents,
});
const { app } = await createServer(
  {
    env: 'production',
    limits: { maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxTokens: 5000, maxCost: 1000, budget: 1e12, budgetRestoreRate: 1e9 },
    http: { corsOrigins: [], introspection: false, persistedDocuments: undefined, routerSecret: undefined, metricsToken: undefined },
    transport: { maxBodyBytes: 1024 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    upstream: { timeoutMs: 10_000, concurrency: 8, readinessCacheMs: 60_000, deadlineMs: 15_000, qpsLimits, maxPauseMs: 10_000 },
  },
  { upstream, logger, metrics, auth: { tokens: [], allowAnonymous: true } },
);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

const firstModel = ((await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models(first: 1) { nodes { id } } }' }) })).json()) as { data: { models: { nodes: { id: string }[] } } }).data.models.nodes[0]!.id;

const scenarios: [string, string][] = [
  ['no upstream call ({ __typename })', '{ __typename }'],
  ['one model by id (1 GetModel)', `{ model(id: "${firstModel}") { id name domain labels { key value } latestVersion { name } } }`],
  ['20 models with latestVersion (1 ListModels)', '{ models(first: 20) { nodes { id name domain task labels { key value } latestVersion { name formatType } } } }'],
  ['20 models with 5 versions each (21 calls)', '{ models(first: 20) { nodes { id versions(first: 5) { nodes { name formatType } } } } }'],
];

const rows: string[] = [];
for (const [i, [name, query]] of scenarios.entries()) {
  if (values.only !== undefined && Number(values.only) !== i + 1) continue;
  emulator.calls.length = 0;
  const result = await autocannon({ url, method: 'POST', connections, duration: seconds, workers: 1, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  // Let operations still in flight when the clock stopped finish, then count per operation sent.
  await new Promise((r) => setTimeout(r, 1000));
  const ops = result.requests.sent;
  rows.push(
    `| ${name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${(emulator.calls.length / Math.max(1, ops)).toFixed(2)} | ${result.non2xx} |`,
  );
}

process.stdout.write(`pai-graph bench: ${seconds} s per scenario, ${connections} connections, Node ${process.version}\n\n`);
process.stdout.write('| scenario | ops/s | p50 ms | p99 ms | upstream calls/op | non-2xx |\n|---|---|---|---|---|---|\n');
process.stdout.write(`${rows.join('\n')}\n`);
await app.close();
upstream.breakers.shutdown();
await emulator.close();
