/**
 * `npm run bench [-- --seconds 5 --connections 20 --only N ...]`: issue 13's benchmark.
 *
 * Five child processes; all but the relay run compiled JavaScript under plain `node`:
 *   - the PAI emulator (dist/emulator/main.js) with demo data and a fixed latency per call,
 *   - the gateway (dist/main.js), configured by environment variables only, with the QPS
 *     governor, caller budgets and the cost limit lifted so they are not what is measured,
 *   - the baseline (bench/baseline.mjs): bare Apollo Server on Fastify with the same schema,
 *     answering each operation from memory with the exact `data` the gateway returned,
 *   - the reference gateway (bench/reference.mjs): issue 13's Apollo + DataLoader + undici
 *     design and nothing else, making the same upstream calls and answering the same `data`
 *     (what the simplest gateway costs on this machine),
 *   - the relay (bench/relay.ts, under tsx like this process: only its latency is read): bare
 *     Node, no GraphQL, making each operation's upstream calls with http.ts's direct client and
 *     answering the gateway's body from memory (the floor of added latency).
 * The load generator (a closed loop over keep-alive connections, see load()) and the
 * concurrency-1 client run in this process.
 *
 * Per query it measures: upstream calls per operation against the fewest needed; CPU time per
 * operation of the gateway, the baseline and the reference (utime+stime from /proc/<pid>/stat
 * around each measured phase, divided by the operations completed) and the upstream calls per
 * operation, under two loads at --connections: identical operations (the gateway shares
 * their reads) and distinct ones (each connection its own variant, so every operation makes
 * its own calls), interleaved over --rounds rounds, median taken; latency at concurrency 1
 * against the same upstream calls made directly by a hand-written client with the best
 * parallelism, through the reference gateway, and through a bare Node relay making the same
 * calls (bench/relay.ts: the floor any process in the path adds on this machine); throughput;
 * the gateway's peak RSS; and how many upstream calls 100 identical concurrent operations
 * make. Then it checks issue 13's targets, for the gateway and for the reference. The tables
 * go to stdout (markdown), progress to stderr.
 *
 * A benchmark, not a test: it asserts no timing, only that every answer was correct.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDirectClient, createHttpClient, type RecordedCall } from './http.js';
import { imageNodeOptions } from './image.js';
import { cpuMs, gatewayGcMs, machineCpuMs, memoryMb, peakRssDuring, ROOT, startBaseline, startEmulator, startGateway, startReference, startRelay, stop, stopChildren } from './processes.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    'latency-ms': { type: 'string', default: '2' },
    'latency-samples': { type: 'string', default: '300' },
    'coalesce-latency-ms': { type: 'string', default: '250' },
    'gateway-env': { type: 'string', multiple: true, default: [] },
    build: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    against: { type: 'string' },
    'against-env': { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --seconds S               length of each measured phase (default 5)
  --connections C           concurrent connections of the throughput phases (default 20)
  --only N                  run query N only (0: { __typename }, 1, 2 or 3)
  --rounds R                throughput rounds (gateway, baseline, reference; identical and distinct operations), interleaved; the median is shown (default 3)
  --warmup S                unmeasured warm-up per query and server (default 2)
  --latency-ms MS           the emulator's latency on every call (default 2)
  --latency-samples N       concurrency-1 samples per query at least, however long that takes (default 300)
  --coalesce-latency-ms MS  its latency during the 100-concurrent step, so all 100 overlap (default 250)
  --gateway-env K=V         extra gateway variable, repeatable (e.g. UPSTREAM_CONCURRENCY=20)
  --build                   rebuild dist/ even if it was compiled from the current sources
  --cpu-prof                write V8 CPU profiles of the gateway and the reference gateway (node --cpu-prof) and print where
  --against DIR             also run the gateway of another checkout (DIR/dist/main.js, built there) in every throughput
                            round, and print this build's CPU per operation against it (an A/B of two builds; use more --rounds)
  --against-env K=V         extra variable for that other gateway only, repeatable: with --against . it is an A/B of two
                            settings of this build (e.g. --against-env NODE_OPTIONS=--max-semi-space-size=16)
`);
  process.exit(0);
}
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const rounds = Number(args.rounds);
const warmupSeconds = Number(args.warmup);
const latencyMs = Number(args['latency-ms']);
const latencySamples = Number(args['latency-samples']);
const coalesceLatencyMs = Number(args['coalesce-latency-ms']);
for (const [name, value, min] of [['seconds', seconds, 0.1], ['connections', connections, 1], ['rounds', rounds, 1], ['warmup', warmupSeconds, 0], ['latency-ms', latencyMs, 0], ['latency-samples', latencySamples, 1], ['coalesce-latency-ms', coalesceLatencyMs, 0]] as const) {
  if (!(value >= min)) throw new Error(`--${name} must be a number of at least ${min}`);
}
const againstRoot = args.against === undefined ? undefined : `${resolve(args.against)}/`;
if (againstRoot && !existsSync(join(againstRoot, 'dist/main.js'))) throw new Error(`--against ${args.against}: no dist/main.js there; build that checkout first (npm ci, or npm run build)`);
if (args['against-env'].length && !againstRoot) throw new Error('--against-env needs --against (use --against . to compare two settings of this build)');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const started = Date.now();

// ---------------------------------------------------------------------------------------------
// The operations

interface Query {
  readonly n: number;
  readonly label: string;
  readonly operationName: string;
  readonly document: string;
  /**
   * The upstream requests a hand-written client needs, as waves of actions: each wave's
   * requests are independent and run together. The gateway's recorded requests of these
   * actions, deduplicated, are the fewest needed ("min").
   */
  readonly waves: readonly (readonly string[])[];
  /** CPU per operation may be at most this many times the baseline's (issue 13). */
  readonly cpuTarget?: number;
  /** The operation's variables everywhere but the distinct-operations load. */
  readonly variables?: (models: DemoModels) => Record<string, unknown>;
  /**
   * The distinct-operations load: connection i's variables, such that no two connections'
   * operations share an upstream read (pai-graph shares reads in flight). Queries without
   * upstream calls have none.
   */
  readonly variant?: (i: number, models: DemoModels) => Record<string, unknown>;
}

/** The demo data's models, read through the gateway before measuring. */
interface DemoModels {
  /** A model with exactly 3 versions. */
  readonly withThreeVersions: string;
  /** Every model id, those with the most versions first. */
  readonly byVersions: readonly string[];
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const VERSION_FIELDS = 'id name formatType frameworkType uri createdAt';
const QUERIES: readonly Query[] = [
  { n: 0, label: '`{ __typename }` (no upstream call)', operationName: 'Typename', document: 'query Typename { __typename }', waves: [] },
  {
    n: 1,
    label: 'model by id with 3 versions',
    operationName: 'ModelWithVersions',
    document: oneLine(`query ModelWithVersions($id: ID!) {
      model(id: $id) { id name description domain task labels { key value } createdAt versions(first: 3) { totalCount nodes { ${VERSION_FIELDS} } } }
    }`),
    // The id is known: GetModel and ListModelVersions can run together.
    waves: [['GetModel', 'ListModelVersions']],
    cpuTarget: 3,
    variables: (models) => ({ id: models.withThreeVersions }),
    // Each connection its own model (those with the most versions).
    variant: (i, models) => ({ id: models.byVersions[i % models.byVersions.length] }),
  },
  {
    n: 2,
    label: '20 models',
    operationName: 'Models',
    document: oneLine(`query Models($first: Int!) {
      models(first: $first) { totalCount nodes { id name description domain task labels { key value } createdAt latestVersion { name formatType } } }
    }`),
    waves: [['ListModels']],
    cpuTarget: 3,
    variables: () => ({ first: 20 }),
    // Each connection its own page size: 11 to 30 models, 20.5 on average.
    variant: (i) => ({ first: 11 + (i % 20) }),
  },
  {
    n: 3,
    label: '20 models with 3 versions each',
    operationName: 'ModelsWithVersions',
    document: oneLine(`query ModelsWithVersions($versions: Int!) {
      models(first: 20) { nodes { id name versions(first: $versions) { nodes { ${VERSION_FIELDS} } } } }
    }`),
    // ListModels, then the 20 ListModelVersions together.
    waves: [['ListModels'], ['ListModelVersions']],
    variables: () => ({ versions: 3 }),
    // Each connection its own page size of versions (3 to 22), so only ListModels can be shared.
    variant: (i) => ({ versions: 3 + (i % 20) }),
    cpuTarget: 5,
  },
];
const selected = QUERIES.filter((q) => args.only === undefined || Number(args.only) === q.n);
if (!selected.length) throw new Error(`--only ${args.only}: no such query (0 to 3)`);

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(p * s.length))) - 1]!;
};
const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Builds dist/ unless it was compiled from the current sources (or always, with --build). */
function ensureBuilt() {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', ...(args.build ? [] : ['--if-stale'])], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error('building dist/ failed');
}

// ---------------------------------------------------------------------------------------------
// Setup

ensureBuilt();
const KEY = { id: 'BENCHAKID0000001', secret: 'bench-secret-0000000000' };
const TOKEN = 'bench-token-0000000000';
const http = createHttpClient();

log('starting the emulator, the gateway and the baseline');
const emulator = await startEmulator(KEY);
const gatewayVars: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PAI_ENDPOINT: emulator.url,
  ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.id,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.secret,
  GATEWAY_TOKENS: `bench:${TOKEN}:read`,
  PAI_QPS_LIMITS: '*=10000',
  CALLER_BUDGET: '1000000',
  CALLER_BUDGET_RESTORE_RATE: '1000000',
  MAX_OPERATION_COST: '100000',
  // The heap limit the image and the Kubernetes Deployment set (V8's default on a large host
  // is several GB); `--gateway-env NODE_OPTIONS=` measures without it.
  NODE_OPTIONS: imageNodeOptions(),
};
/** `--gateway-env` / `--against-env` pairs, NAME=value, laid over `vars`. */
function withPairs(vars: Record<string, string>, option: string, pairs: readonly string[]): Record<string, string> {
  const out = { ...vars };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--${option} ${pair}: expected NAME=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
Object.assign(gatewayVars, withPairs(gatewayVars, 'gateway-env', args['gateway-env']));
const profileDir = join(os.tmpdir(), `pai-graph-bench-prof-${process.pid}`);
const gateway = await startGateway(gatewayVars, args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
const baseline = await startBaseline();
const relay = await startRelay(emulator.url, KEY);
const reference = await startReference(emulator.url, KEY, gatewayVars.NODE_OPTIONS ?? '', args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, 'reference')] : []);
const gatewayPid = gateway.child.pid!;
const baselinePid = baseline.child.pid!;
const referencePid = reference.child.pid!;
const gatewayGc = () => gatewayGcMs(gateway.url);
/** The other checkout's gateway (--against), measured in the same rounds. */
const otherVars = withPairs(gatewayVars, 'against-env', args['against-env']);
const other = againstRoot ? await startGateway(otherVars, [], againstRoot) : undefined;
const otherGc = () => gatewayGcMs(other!.url);
const idleRssMb = memoryMb(gatewayPid, 'VmRSS');
const baselineIdleRssMb = memoryMb(baselinePid, 'VmRSS');
const referenceIdleRssMb = memoryMb(referencePid, 'VmRSS');

const control = {
  clearCalls: () => http.send(`${emulator.url}/__emulator/calls`, { method: 'DELETE' }),
  calls: async () => (JSON.parse((await http.send(`${emulator.url}/__emulator/calls`)).body) as { calls: (RecordedCall & { status?: number })[] }).calls,
  callCount: async () => (JSON.parse((await http.send(`${emulator.url}/__emulator/calls/count`)).body) as { count: number }).count,
  /** Every upstream call waits `ms` before the emulator answers (a faults rule without `times`). */
  async setLatency(ms: number) {
    await http.send(`${emulator.url}/__emulator/faults`, { method: 'DELETE' });
    if (ms > 0) await http.send(`${emulator.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: '*', latencyMs: ms }) });
  },
};
await control.setLatency(latencyMs);

const gatewayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
const baselineHeaders = { 'content-type': 'application/json' };

// The demo models and their versions, for the operations' variables.
const probe = JSON.parse(
  (await http.send(gateway.url, { method: 'POST', headers: gatewayHeaders, body: JSON.stringify({ query: '{ models(first: 100) { nodes { id versions(first: 100) { totalCount } } } }' }) })).body,
) as { data: { models: { nodes: { id: string; versions: { totalCount: number } }[] } } };
const demoModels: DemoModels = {
  withThreeVersions: probe.data.models.nodes.find((m) => m.versions.totalCount === 3)?.id ?? '',
  byVersions: [...probe.data.models.nodes].sort((a, b) => b.versions.totalCount - a.versions.totalCount).map((m) => m.id),
};
if (!demoModels.withThreeVersions) throw new Error('the demo data has no model with 3 versions');

// ---------------------------------------------------------------------------------------------
// Measuring

interface Throughput {
  cpuMsPerOp: number;
  /** Of that, time in garbage collection (the process's own gc performance entries). */
  gcMsPerOp: number;
  /** Operations completed per second while all connections were busy. */
  rps: number;
  peakRssMb: number;
  /** Failed or wrong answers. */
  bad: number;
  ops: number;
  /** Upstream calls the emulator received per operation (operations in flight together may share reads). */
  callsPerOp: number;
}

/** The throughput rounds of one kind of load, per server. */
interface Rounds {
  gateway: Throughput[];
  baseline: Throughput[];
  /** The reference gateway (bench/reference.mjs). */
  reference: Throughput[];
  /** The other checkout's gateway (--against); empty without it. */
  other: Throughput[];
}

interface Row {
  query: Query;
  callsPerOp: number;
  minCalls: number;
  sameData: boolean;
  /** Every connection sends the same operation. */
  identical: Rounds;
  /** Each connection sends its own variant (Query.variant); none for queries without upstream calls. */
  distinct?: Rounds;
  gatewayLatency: number[];
  referenceLatency: number[];
  directLatency: number[];
  relayLatency: number[];
  /** Bare Apollo answering from memory, no upstream at all: its GraphQL work and one hop. */
  baselineLatency: number[];
  /** The request body and the check of its answer, for the 100-at-once step. */
  body: string;
  check: (res: { status: number; body: string }, what: string) => void;
  /** Upstream calls made by 100 identical operations sent at once (none for query 0). */
  coalesced?: number;
  coalescedPeakRssMb?: number;
}

/** One operation to send, and the check of its answer. */
interface Request {
  readonly body: string;
  readonly verify: (body: string) => boolean;
}

/**
 * Closed-loop load on one server: `connections` keep-alive connections, each sending its
 * operation (connection i sends requests[i % requests.length]) again as soon as its answer is
 * in, for `duration` seconds; then each finishes the operation it has in flight, so every
 * operation counted ran to completion. CPU time is the server process's own, read before and
 * after. (autocannon's duration mode would abandon the operations in flight at the end, a
 * large share when one takes a second, as query 3 can.)
 */
async function load(url: string, headers: Record<string, string>, requests: readonly Request[], pid: number, gcMs: () => Promise<number>, duration: number): Promise<Throughput> {
  await control.clearCalls(); // counts this phase's calls, and keeps the emulator's call log (and memory) small
  const client = createHttpClient(connections);
  let ops = 0;
  let inTime = 0;
  let bad = 0;
  // Asked outside the CPU window: answering costs the server a little CPU of its own.
  const gcBefore = await gcMs();
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const deadline = started + duration * 1000;
  const { peakMb } = await peakRssDuring(pid, () =>
    Promise.all(
      Array.from({ length: connections }, async (_, i) => {
        const { body, verify } = requests[i % requests.length]!;
        while (performance.now() < deadline) {
          const res = await client.send(url, { method: 'POST', headers, body }).catch(() => ({ status: 0, body: '' }));
          ops += 1;
          if (performance.now() <= deadline) inTime += 1;
          if (res.status !== 200 || !verify(res.body)) bad += 1;
        }
      }),
    ),
  );
  const cpu = cpuMs(pid) - cpuBefore;
  const gc = (await gcMs()) - gcBefore;
  client.close();
  return { cpuMsPerOp: cpu / ops, gcMsPerOp: gc / ops, rps: inTime / duration, peakRssMb: peakMb, bad, ops, callsPerOp: (await control.callCount()) / ops };
}

/**
 * The gateway's answer to `variables`, which the baseline then serves from memory and the
 * reference gateway must match, and the check every later answer must pass.
 */
async function expectedAnswer(query: Query, variables: Record<string, unknown> | undefined): Promise<Request & { sameData: boolean; answer: string }> {
  const body = JSON.stringify({ query: query.document, operationName: query.operationName, ...(variables ? { variables } : {}) });
  const post = (url: string, headers: Record<string, string>) => http.send(url, { method: 'POST', headers, body });
  const answer = await post(gateway.url, gatewayHeaders);
  const parsed = JSON.parse(answer.body) as { data?: unknown; errors?: unknown };
  if (answer.status !== 200 || parsed.errors || !parsed.data) throw new Error(`query ${query.n}: the gateway answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  const dataJson = JSON.stringify(parsed.data);
  // Every answer under load must carry exactly this data (and no errors).
  const prefix = `{"data":${dataJson}`;
  if (!answer.body.startsWith(prefix)) throw new Error(`query ${query.n}: the gateway's answer does not start with {"data":...}; the body check needs changing`);
  const verify = (b: string) => b.startsWith(prefix) && (b[prefix.length] === '}' || b[prefix.length] === ',');
  await baseline.serve(query.operationName, variables ?? {}, parsed.data);
  const fromBaseline = JSON.parse((await post(baseline.url, baselineHeaders)).body) as { data?: unknown; errors?: unknown };
  const sameData = !fromBaseline.errors && JSON.stringify(fromBaseline.data) === dataJson;
  // The reference gateway must do the same work, or its figures mean nothing.
  const fromReference = await post(reference.url, baselineHeaders);
  if (fromReference.status !== 200 || !verify(fromReference.body)) {
    throw new Error(`query ${query.n}: the reference gateway answered ${fromReference.status} with other data than the gateway: ${fromReference.body.slice(0, 500)}`);
  }
  if (other) {
    const fromOther = await post(other.url, gatewayHeaders);
    if (fromOther.status !== 200 || !verify(fromOther.body)) throw new Error(`query ${query.n}: the gateway of ${againstRoot} answered ${fromOther.status} with other data: ${fromOther.body.slice(0, 500)}`);
  }
  return { body, verify, sameData, answer: answer.body };
}

async function measure(query: Query): Promise<Row> {
  const main = await expectedAnswer(query, query.variables?.(demoModels));
  const variants = query.variant ? await Promise.all(Array.from({ length: connections }, (_, i) => expectedAnswer(query, query.variant!(i, demoModels)))) : undefined;
  const { body, verify } = main;
  const post = (url: string, headers: Record<string, string>) => http.send(url, { method: 'POST', headers, body });
  const check = (res: { status: number; body: string }, what: string) => {
    if (res.status !== 200 || !verify(res.body)) throw new Error(`query ${query.n}: ${what} answered ${res.status}: ${res.body.slice(0, 300)}`);
  };

  // Upstream calls per operation, one operation at a time.
  const sequential = 10;
  await control.clearCalls();
  for (let i = 0; i < sequential; i++) check(await post(gateway.url, gatewayHeaders), 'the gateway');
  const recorded = await control.calls();
  if (recorded.some((c) => c.status !== 200)) throw new Error(`query ${query.n}: an upstream call failed: ${JSON.stringify(recorded.find((c) => c.status !== 200))}`);
  const plan = query.waves.map((actions) => {
    const distinct = new Map<string, RecordedCall>();
    for (const c of recorded) if (actions.includes(c.action)) distinct.set(`${c.method} ${c.path}?${c.query} ${c.body}`, c);
    return [...distinct.values()];
  });
  const minCalls = plan.reduce((n, wave) => n + wave.length, 0);
  const direct = createDirectClient(http, emulator.url, KEY);
  await relay.plan(query.operationName, plan, main.answer);

  log(`query ${query.n}: warm-up`);
  await load(gateway.url, gatewayHeaders, [main], gatewayPid, gatewayGc, warmupSeconds);
  await load(baseline.url, baselineHeaders, [main], baselinePid, baseline.gcMs, warmupSeconds);
  await load(reference.url, baselineHeaders, [main], referencePid, reference.gcMs, warmupSeconds);
  if (other) await load(other.url, gatewayHeaders, [main], other.child.pid!, otherGc, warmupSeconds);
  for (let i = 0; i < 50 && minCalls; i++) {
    await direct.run(plan);
    check(await post(relay.url, baselineHeaders), 'the relay');
  }

  log(`query ${query.n}: latency at concurrency 1`);
  const gatewayLatency: number[] = [];
  const directLatency: number[] = [];
  const relayLatency: number[] = [];
  const baselineLatency: number[] = [];
  const referenceLatency: number[] = [];
  // For --seconds, and until there are enough samples for p99 to be more than the slowest one.
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || gatewayLatency.length < latencySamples) {
    // Interleaved, so all see the same machine.
    let t = performance.now();
    check(await post(gateway.url, gatewayHeaders), 'the gateway');
    gatewayLatency.push(performance.now() - t);
    t = performance.now();
    await direct.run(plan);
    directLatency.push(performance.now() - t);
    if (minCalls) {
      t = performance.now();
      check(await post(relay.url, baselineHeaders), 'the relay');
      relayLatency.push(performance.now() - t);
    }
    t = performance.now();
    check(await post(baseline.url, baselineHeaders), 'the baseline');
    baselineLatency.push(performance.now() - t);
    t = performance.now();
    check(await post(reference.url, baselineHeaders), 'the reference gateway');
    referenceLatency.push(performance.now() - t);
  }

  const identical: Rounds = { gateway: [], baseline: [], reference: [], other: [] };
  const distinct: Rounds | undefined = variants && { gateway: [], baseline: [], reference: [], other: [] };
  const phases = (rounds: Rounds, requests: readonly Request[]) => [
    async () => rounds.gateway.push(await load(gateway.url, gatewayHeaders, requests, gatewayPid, gatewayGc, seconds)),
    async () => rounds.baseline.push(await load(baseline.url, baselineHeaders, requests, baselinePid, baseline.gcMs, seconds)),
    async () => rounds.reference.push(await load(reference.url, baselineHeaders, requests, referencePid, reference.gcMs, seconds)),
    ...(other ? [async () => void rounds.other.push(await load(other.url, gatewayHeaders, requests, other.child.pid!, otherGc, seconds))] : []),
  ];
  for (let r = 0; r < rounds; r++) {
    for (const [kind, rows, requests] of [['identical', identical, [main]], ...(distinct && variants ? [['distinct', distinct, variants] as const] : [])] as const) {
      log(`query ${query.n}: throughput at ${connections} connections, ${kind} operations, round ${r + 1} of ${rounds}`);
      // Each round starts with the next server (gateway, baseline, reference[, other]; then
      // baseline, reference, ..., gateway; ...), so a drift in the machine favours none of them.
      const run = phases(rows, requests);
      for (let i = 0; i < run.length; i++) await run[(r + i) % run.length]!();
    }
  }

  return {
    query,
    callsPerOp: recorded.length / sequential,
    minCalls,
    sameData: main.sameData && (variants ?? []).every((v) => v.sameData),
    identical,
    distinct,
    gatewayLatency,
    referenceLatency,
    directLatency,
    relayLatency,
    baselineLatency,
    body,
    check,
  };
}

/**
 * 100 identical operations sent at once: how many upstream calls they make. The emulator's
 * latency is raised for this step so that all 100 are in flight together (parsing 100
 * requests takes the gateway longer than a 2 ms call), and the 100 connections are opened
 * beforehand. Run after every sustained phase, so its burst is not in their RSS figures.
 */
async function coalesce(row: Row): Promise<void> {
  if (row.minCalls === 0) return;
  log(`query ${row.query.n}: 100 identical operations at once`);
  const burst = createHttpClient(100);
  const typename = JSON.stringify({ query: '{ __typename }' });
  await Promise.all(Array.from({ length: 100 }, () => burst.send(gateway.url, { method: 'POST', headers: gatewayHeaders, body: typename })));
  await control.setLatency(coalesceLatencyMs);
  await control.clearCalls();
  const { result: answers, peakMb } = await peakRssDuring(gatewayPid, () =>
    Promise.all(Array.from({ length: 100 }, () => burst.send(gateway.url, { method: 'POST', headers: gatewayHeaders, body: row.body }))),
  );
  for (const a of answers) row.check(a, 'the gateway (100 at once)');
  row.coalesced = (await control.calls()).length;
  row.coalescedPeakRssMb = peakMb;
  await control.setLatency(latencyMs);
  burst.close();
}

/** CPU used by this run's processes (the bench itself and its five children), in ms. */
const ownCpuMs = () => {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1000 + cpuMs(emulator.child.pid!) + cpuMs(gatewayPid) + cpuMs(baselinePid) + cpuMs(referencePid) + cpuMs(relay.child.pid!);
};
const machineBefore = machineCpuMs();
const ownBefore = ownCpuMs();
const loadAverage = os.loadavg()[0]!;

const rows: Row[] = [];
for (const query of selected) rows.push(await measure(query));
for (const row of rows) await coalesce(row);
const machineAfter = machineCpuMs();
/** Share of the machine's CPU time that other processes used while this run measured. */
const othersShare = (machineAfter.busy - machineBefore.busy - (ownCpuMs() - ownBefore)) / (machineAfter.total - machineBefore.total);

if (args['cpu-prof']) {
  // The profiles are written on exit.
  await Promise.all([stop(gateway.child), stop(reference.child)]);
  log(`CPU profiles written: the gateway's to ${profileDir}/, the reference gateway's to ${join(profileDir, 'reference')}/`);
}
http.close();
stopChildren();

// ---------------------------------------------------------------------------------------------
// Report

/** Medians of one kind of load's rounds. */
function summarise(rounds: Rounds) {
  const m = (runs: Throughput[], f: (t: Throughput) => number) => median(runs.map(f));
  const gatewayCpu = m(rounds.gateway, (t) => t.cpuMsPerOp);
  const baselineCpu = m(rounds.baseline, (t) => t.cpuMsPerOp);
  const referenceCpu = m(rounds.reference, (t) => t.cpuMsPerOp);
  return {
    rounds,
    gatewayCpu,
    baselineCpu,
    referenceCpu,
    ratio: gatewayCpu / baselineCpu,
    referenceRatio: referenceCpu / baselineCpu,
    gatewayCalls: m(rounds.gateway, (t) => t.callsPerOp),
    referenceCalls: m(rounds.reference, (t) => t.callsPerOp),
    rps: [rounds.gateway, rounds.baseline, rounds.reference].map((runs) => m(runs, (t) => t.rps)),
  };
}
type Load = ReturnType<typeof summarise>;

const summary = rows.map((row) => {
  const all = [row.identical, ...(row.distinct ? [row.distinct] : [])];
  const direct50 = row.minCalls ? percentile(row.directLatency, 0.5) : 0;
  const direct99 = row.minCalls ? percentile(row.directLatency, 0.99) : 0;
  return {
    row,
    identical: summarise(row.identical),
    distinct: row.distinct && summarise(row.distinct),
    gateway50: percentile(row.gatewayLatency, 0.5),
    gateway99: percentile(row.gatewayLatency, 0.99),
    direct50,
    direct99,
    added50: percentile(row.gatewayLatency, 0.5) - direct50,
    added99: percentile(row.gatewayLatency, 0.99) - direct99,
    relayAdded50: row.minCalls ? percentile(row.relayLatency, 0.5) - direct50 : NaN,
    referenceAdded50: percentile(row.referenceLatency, 0.5) - direct50,
    referenceAdded99: percentile(row.referenceLatency, 0.99) - direct99,
    peakRss: Math.max(...all.flatMap((r) => r.gateway.map((t) => t.peakRssMb))),
    baselinePeakRss: Math.max(...all.flatMap((r) => r.baseline.map((t) => t.peakRssMb))),
    referencePeakRss: Math.max(...all.flatMap((r) => r.reference.map((t) => t.peakRssMb))),
    bad: all.flatMap((r) => [...r.gateway, ...r.baseline, ...r.reference]).reduce((n, t) => n + t.bad, 0),
  };
});

/** Peak RSS under sustained load: the highest of the gateway's throughput phases. */
const peakRssMb = Math.max(...summary.map((s) => s.peakRss));
const baselinePeakRssMb = Math.max(...summary.map((s) => s.baselinePeakRss));
const referencePeakRssMb = Math.max(...summary.map((s) => s.referencePeakRss));
const cpus = os.cpus();
const out: string[] = [];
out.push(`### pai-graph bench, ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out.push('');
out.push(
  `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}. ` +
    `Emulator latency ${latencyMs} ms per call; ${seconds} s per measured phase, ${warmupSeconds} s warm-up, ${connections} connections, ${rounds} interleaved gateway/baseline/reference rounds (median); ` +
    `gateway: dist/main.js, NODE_ENV=production, ${gatewayVars.NODE_OPTIONS ? `NODE_OPTIONS=${gatewayVars.NODE_OPTIONS}` : 'no NODE_OPTIONS'}, V3-signed upstream calls, a caller token${args['gateway-env'].length ? `, ${args['gateway-env'].join(' ')}` : ''}; ` +
    `baseline: bare Apollo Server on Fastify, same schema, data from memory; reference: Apollo Server on Fastify + DataLoader + undici, the same upstream calls and nothing else, the gateway's NODE_OPTIONS. ${other ? `Also the gateway of \`${args.against}\` in every throughput round. ` : ''}` +
    `Other processes used ${fmt(Math.max(0, othersShare) * 100, 0)}% of the machine's CPU during the run (load average ${fmt(loadAverage, 1)} at its start).`,
);
out.push('');
/** "gateway / baseline = ratio" CPU ms/op, and the gateway's upstream calls per operation under that load. */
const cpuCells = (l: Load | undefined) => (l ? `${fmt(l.gatewayCpu, 3)} / ${fmt(l.baselineCpu, 3)} = **${fmt(l.ratio, 1)}x** | ${fmt(l.gatewayCalls, 2)}` : 'n/a | n/a');
out.push(
  `| # | query | upstream calls/op (min) | identical operations @${connections}: gateway / baseline CPU ms/op | gateway upstream calls/op | distinct operations @${connections}: gateway / baseline CPU ms/op | gateway upstream calls/op | ` +
    'reference CPU ms/op (x baseline), identical / distinct | added latency p50 / p99 ms @1 | reference added p50 / p99 | RPS, identical (gateway / baseline / reference) | gateway peak RSS MB | 100 concurrent: upstream calls (distinct) |',
);
out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const s of summary) {
  const q = s.row.query;
  const reference = [s.identical, s.distinct].map((l) => (l ? `${fmt(l.referenceCpu, 3)} (${fmt(l.referenceRatio, 1)}x)` : 'n/a')).join(' / ');
  out.push(
    `| ${q.n} | ${q.label} | ${fmt(s.row.callsPerOp, s.row.callsPerOp % 1 ? 1 : 0)} (${s.row.minCalls}) | ${cpuCells(s.identical)} | ${cpuCells(s.distinct)} | ${reference} | ` +
      `${fmt(s.added50, 2)} / ${fmt(s.added99, 2)} | ${fmt(s.referenceAdded50, 2)} / ${fmt(s.referenceAdded99, 2)} | ${s.identical.rps.map((x) => Math.round(x)).join(' / ')} | ${fmt(s.peakRss, 0)} | ` +
      `${s.row.coalesced === undefined ? 'n/a' : `${s.row.coalesced} (${s.row.minCalls})`} |`,
  );
}
out.push('');
out.push(
  'Latency at concurrency 1, in ms (added = gateway minus direct, per percentile; the relay is a bare Node process making the same upstream calls and answering the same body, ' +
    "so its added latency is the floor any process in the path costs here, and the gateway's own share is the difference; the reference gateway and the baseline, bare Apollo answering " +
    'from memory with no upstream call, are timed in the same loop):',
);
out.push('');
out.push("| # | gateway p50 / p99 | direct p50 / p99 | bare relay p50 / p99 | added p50: relay floor + gateway's own | reference p50 / p99 | baseline (no upstream) p50 / p99 | samples |");
out.push('|---|---|---|---|---|---|---|---|');
const p5099 = (xs: number[]) => `${fmt(percentile(xs, 0.5), 2)} / ${fmt(percentile(xs, 0.99), 2)}`;
for (const s of summary) {
  const relayCells = s.row.minCalls ? `${p5099(s.row.relayLatency)} | ${fmt(s.relayAdded50, 2)} + ${fmt(s.added50 - s.relayAdded50, 2)}` : 'no calls | n/a';
  out.push(
    `| ${s.row.query.n} | ${p5099(s.row.gatewayLatency)} | ${s.row.minCalls ? p5099(s.row.directLatency) : 'no calls'} | ${relayCells} | ` +
      `${p5099(s.row.referenceLatency)} | ${p5099(s.row.baselineLatency)} | ${s.row.gatewayLatency.length} |`,
  );
}
out.push('');
out.push('Each throughput round (identical operations: every connection sends the same one; distinct: each connection its own variant, so no two share an upstream read):');
out.push('');
out.push(
  '| # | operations | gateway CPU ms/op by round | baseline CPU ms/op by round | reference CPU ms/op by round | of which GC, median (gateway / baseline / reference) | operations per round (gateway / baseline / reference) | upstream calls/op, median (gateway / reference) | failed or wrong answers |',
);
out.push('|---|---|---|---|---|---|---|---|---|');
for (const s of summary) {
  for (const [kind, l] of [['identical', s.identical], ['distinct', s.distinct]] as const) {
    if (!l) continue;
    const runs = [l.rounds.gateway, l.rounds.baseline, l.rounds.reference];
    out.push(
      `| ${s.row.query.n} | ${kind} | ${runs.map((r) => r.map((t) => fmt(t.cpuMsPerOp, 3)).join(', ')).join(' | ')} | ${runs.map((r) => fmt(median(r.map((t) => t.gcMsPerOp)), 3)).join(' / ')} | ` +
        `${runs.map((r) => r.map((t) => t.ops).join(', ')).join(' / ')} | ` +
        `${fmt(l.gatewayCalls, 2)} / ${fmt(l.referenceCalls, 2)} | ${runs.flat().reduce((n, t) => n + t.bad, 0)} |`,
    );
  }
}
out.push('');
if (other) {
  const settings = args['against-env'].length ? `with ${args['against-env'].join(' ')}` : 'same settings';
  out.push(`This build's gateway against the gateway of \`${args.against}\` (${settings}), measured in the same rounds: CPU ms/op by round, the ratio of the medians, GC ms/op (medians) and peak RSS:`);
  out.push('');
  out.push('| # | operations | this build, by round | the other build, by round | this / other | of which GC (this / other) | peak RSS MB (this / other) |');
  out.push('|---|---|---|---|---|---|---|');
  for (const s of summary) {
    for (const [kind, l] of [['identical', s.identical], ['distinct', s.distinct]] as const) {
      if (!l) continue;
      const byRound = (runs: Throughput[]) => runs.map((t) => fmt(t.cpuMsPerOp, 3)).join(', ');
      const mid = (runs: Throughput[], f: (t: Throughput) => number) => median(runs.map(f));
      const ratio = mid(l.rounds.gateway, (t) => t.cpuMsPerOp) / mid(l.rounds.other, (t) => t.cpuMsPerOp);
      out.push(
        `| ${s.row.query.n} | ${kind} | ${byRound(l.rounds.gateway)} | ${byRound(l.rounds.other)} | **${fmt(ratio, 3)}** | ` +
          `${fmt(mid(l.rounds.gateway, (t) => t.gcMsPerOp), 3)} / ${fmt(mid(l.rounds.other, (t) => t.gcMsPerOp), 3)} | ` +
          `${fmt(Math.max(...l.rounds.gateway.map((t) => t.peakRssMb)), 0)} / ${fmt(Math.max(...l.rounds.other.map((t) => t.peakRssMb)), 0)} |`,
      );
    }
  }
  out.push('');
}
const allSame = summary.every((s) => s.row.sameData);
out.push(
  allSame
    ? 'Gateway, baseline and reference returned identical `data` for every operation.'
    : `Gateway and baseline returned DIFFERENT data for query ${summary.filter((s) => !s.row.sameData).map((s) => s.row.query.n).join(', ')}.`,
);
out.push('');

// Issue 13's targets.
/** Each target: what it asks, the gateway's figure and verdict, and the reference gateway's under the same rule, where measured. */
const targets: [string, string, boolean, [string, boolean]?][] = [];
for (const s of summary) {
  const q = s.row.query;
  if (!q.cpuTarget) continue;
  for (const [kind, l] of [['identical', s.identical], ['distinct', s.distinct]] as const) {
    if (l) targets.push([`CPU/op ≤ ${q.cpuTarget}x baseline, query ${q.n}, ${kind} operations`, `${fmt(l.ratio, 1)}x`, l.ratio <= q.cpuTarget, [`${fmt(l.referenceRatio, 1)}x`, l.referenceRatio <= q.cpuTarget]]);
  }
}
for (const s of summary) {
  if (!s.row.minCalls) continue;
  targets.push([`added latency p50 ≤ 1 ms at concurrency 1, query ${s.row.query.n}`, `${fmt(s.added50, 2)} ms`, s.added50 <= 1, [`${fmt(s.referenceAdded50, 2)} ms`, s.referenceAdded50 <= 1]]);
  targets.push([`added latency p99 ≤ 5 ms at concurrency 1, query ${s.row.query.n}`, `${fmt(s.added99, 2)} ms`, s.added99 <= 5, [`${fmt(s.referenceAdded99, 2)} ms`, s.referenceAdded99 <= 5]]);
}
targets.push([`gateway peak RSS under sustained load ≤ 200 MB`, `${fmt(peakRssMb, 0)} MB`, peakRssMb <= 200, [`${fmt(referencePeakRssMb, 0)} MB`, referencePeakRssMb <= 200]]);
for (const s of summary) {
  if (s.row.coalesced === undefined) continue;
  targets.push([`100 identical concurrent operations: 1 upstream call per distinct resource, query ${s.row.query.n}`, `${s.row.coalesced} calls for ${s.row.minCalls}`, s.row.coalesced === s.row.minCalls]);
}
out.push(
  `Gateway RSS after startup, before any load: ${fmt(idleRssMb, 0)} MB; under sustained load at most ${fmt(peakRssMb, 0)} MB. ` +
    `The baseline (bare Apollo Server on Fastify) for comparison: ${fmt(baselineIdleRssMb, 0)} MB idle, at most ${fmt(baselinePeakRssMb, 0)} MB under the same load (per query: ${summary.map((s) => `${s.row.query.n}: ${fmt(s.baselinePeakRss, 0)}`).join(', ')}); ` +
    `the reference gateway ${fmt(referenceIdleRssMb, 0)} MB idle, at most ${fmt(referencePeakRssMb, 0)} MB. ` +
    `Gateway RSS while 100 identical operations were in flight: ${summary.map((s) => `${s.row.query.n}: ${s.row.coalescedPeakRssMb === undefined ? 'n/a' : fmt(s.row.coalescedPeakRssMb, 0)}`).join(', ')} MB.`,
);
out.push('');
const verdict = (pass: boolean) => (pass ? 'pass' : '**FAIL**');
out.push('| issue 13 target | gateway | | the reference gateway, same run | |');
out.push('|---|---|---|---|---|');
for (const [name, measured, pass, ref] of targets) out.push(`| ${name} | ${measured} | ${verdict(pass)} | ${ref ? `${ref[0]} | ${verdict(ref[1])}` : 'not measured | '} |`);
out.push('');
process.stdout.write(`${out.join('\n')}\n`);
log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
