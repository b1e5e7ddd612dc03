/**
 * `npm run bench [-- --seconds 5 --connections 20 --only N ...]`: issue 13's benchmark.
 *
 * Four child processes; the first three run compiled JavaScript under plain `node`:
 *   - the PAI emulator (dist/emulator/main.js) with demo data and a fixed latency per call,
 *   - the gateway (dist/main.js), configured by environment variables only, with the QPS
 *     governor, caller budgets and the cost limit lifted so they are not what is measured,
 *   - the baseline (bench/baseline.mjs): bare Apollo Server on Fastify with the same schema,
 *     answering each operation from memory with the exact `data` the gateway returned,
 *   - the relay (bench/relay.ts, under tsx like this process: only its latency is read): bare
 *     Node, no GraphQL, making each operation's upstream calls with http.ts's direct client and
 *     answering the gateway's body from memory (the floor of added latency).
 * The load generator (a closed loop over keep-alive connections, see load()) and the
 * concurrency-1 client run in this process.
 *
 * Per query it measures: upstream calls per operation against the fewest needed; CPU time per
 * operation of the gateway and of the baseline (utime+stime from /proc/<pid>/stat around each
 * measured phase, divided by the operations completed), interleaved over --rounds rounds,
 * median taken; latency at concurrency 1 against the same upstream calls made directly by a
 * hand-written client with the best parallelism, and through a bare Node relay making the same
 * calls (bench/relay.ts: the floor any process in the path adds on this machine); throughput at
 * --connections; the gateway's peak RSS; and how many upstream calls 100 identical concurrent operations make. Then it
 * checks issue 13's targets. The table goes to stdout (markdown), progress to stderr.
 *
 * A benchmark, not a test: it asserts no timing, only that every answer was correct.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDirectClient, createHttpClient, type RecordedCall } from './http.js';
import { imageNodeOptions } from './image.js';
import { cpuMs, machineCpuMs, memoryMb, peakRssDuring, ROOT, startBaseline, startEmulator, startGateway, startRelay, stop, stopChildren } from './processes.js';

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
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --seconds S               length of each measured phase (default 5)
  --connections C           concurrent connections of the throughput phases (default 20)
  --only N                  run query N only (0: { __typename }, 1, 2 or 3)
  --rounds R                gateway/baseline throughput rounds, interleaved; the median is shown (default 3)
  --warmup S                unmeasured warm-up per query and server (default 2)
  --latency-ms MS           the emulator's latency on every call (default 2)
  --latency-samples N       concurrency-1 samples per query at least, however long that takes (default 300)
  --coalesce-latency-ms MS  its latency during the 100-concurrent step, so all 100 overlap (default 250)
  --gateway-env K=V         extra gateway variable, repeatable (e.g. UPSTREAM_CONCURRENCY=20)
  --build                   rebuild dist/ even if it was compiled from the current sources
  --cpu-prof                write a V8 CPU profile of the gateway (node --cpu-prof) and print where
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
  },
  {
    n: 2,
    label: '20 models',
    operationName: 'Models',
    document: oneLine(`query Models {
      models(first: 20) { totalCount nodes { id name description domain task labels { key value } createdAt latestVersion { name formatType } } }
    }`),
    waves: [['ListModels']],
    cpuTarget: 3,
  },
  {
    n: 3,
    label: '20 models with 3 versions each',
    operationName: 'ModelsWithVersions',
    document: oneLine(`query ModelsWithVersions {
      models(first: 20) { nodes { id name versions(first: 3) { nodes { ${VERSION_FIELDS} } } } }
    }`),
    // ListModels, then the 20 ListModelVersions together.
    waves: [['ListModels'], ['ListModelVersions']],
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
for (const pair of args['gateway-env']) {
  const eq = pair.indexOf('=');
  if (eq < 1) throw new Error(`--gateway-env ${pair}: expected NAME=value`);
  gatewayVars[pair.slice(0, eq)] = pair.slice(eq + 1);
}
const profileDir = join(os.tmpdir(), `pai-graph-bench-prof-${process.pid}`);
const gateway = await startGateway(gatewayVars, args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
const baseline = await startBaseline();
const relay = await startRelay(emulator.url, KEY);
const gatewayPid = gateway.child.pid!;
const baselinePid = baseline.child.pid!;
const idleRssMb = memoryMb(gatewayPid, 'VmRSS');
const baselineIdleRssMb = memoryMb(baselinePid, 'VmRSS');

const control = {
  clearCalls: () => http.send(`${emulator.url}/__emulator/calls`, { method: 'DELETE' }),
  calls: async () => (JSON.parse((await http.send(`${emulator.url}/__emulator/calls`)).body) as { calls: (RecordedCall & { status?: number })[] }).calls,
  /** Every upstream call waits `ms` before the emulator answers (a faults rule without `times`). */
  async setLatency(ms: number) {
    await http.send(`${emulator.url}/__emulator/faults`, { method: 'DELETE' });
    if (ms > 0) await http.send(`${emulator.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: '*', latencyMs: ms }) });
  },
};
await control.setLatency(latencyMs);

const gatewayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
const baselineHeaders = { 'content-type': 'application/json' };

// A model with at least 3 versions, for query 1.
const probe = JSON.parse(
  (await http.send(gateway.url, { method: 'POST', headers: gatewayHeaders, body: JSON.stringify({ query: '{ models(first: 20) { nodes { id versions(first: 3) { nodes { name } } } } }' }) })).body,
) as { data: { models: { nodes: { id: string; versions: { nodes: unknown[] } }[] } } };
const modelId = probe.data.models.nodes.find((m) => m.versions.nodes.length === 3)?.id;
if (!modelId) throw new Error('the demo data has no model with 3 versions');

// ---------------------------------------------------------------------------------------------
// Measuring

interface Throughput {
  cpuMsPerOp: number;
  /** Operations completed per second while all connections were busy. */
  rps: number;
  peakRssMb: number;
  /** Failed or wrong answers. */
  bad: number;
  ops: number;
}

interface Row {
  query: Query;
  callsPerOp: number;
  minCalls: number;
  sameData: boolean;
  gateway: Throughput[];
  baseline: Throughput[];
  gatewayLatency: number[];
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

/**
 * Closed-loop load on one server: `connections` keep-alive connections, each sending the
 * operation again as soon as its answer is in, for `duration` seconds; then each finishes the
 * operation it has in flight, so every operation counted ran to completion. CPU time is the
 * server process's own, read before and after. (autocannon's duration mode would abandon the
 * operations in flight at the end, a large share when one takes a second, as query 3 can.)
 */
async function load(url: string, headers: Record<string, string>, body: string, verify: (b: string) => boolean, pid: number, duration: number): Promise<Throughput> {
  await control.clearCalls(); // keeps the emulator's call log (and memory) small
  const client = createHttpClient(connections);
  let ops = 0;
  let inTime = 0;
  let bad = 0;
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const deadline = started + duration * 1000;
  const { peakMb } = await peakRssDuring(pid, () =>
    Promise.all(
      Array.from({ length: connections }, async () => {
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
  client.close();
  return { cpuMsPerOp: cpu / ops, rps: inTime / duration, peakRssMb: peakMb, bad, ops };
}

async function measure(query: Query): Promise<Row> {
  const body = JSON.stringify({ query: query.document, operationName: query.operationName, ...(query.n === 1 ? { variables: { id: modelId } } : {}) });
  const post = (url: string, headers: Record<string, string>) => http.send(url, { method: 'POST', headers, body });

  // The gateway's answer, served by the baseline from memory; both must give the same data.
  const answer = await post(gateway.url, gatewayHeaders);
  const parsed = JSON.parse(answer.body) as { data?: unknown; errors?: unknown };
  if (answer.status !== 200 || parsed.errors || !parsed.data) throw new Error(`query ${query.n}: the gateway answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  await baseline.serve(query.operationName, parsed.data);
  const fromBaseline = JSON.parse((await post(baseline.url, baselineHeaders)).body) as { data?: unknown; errors?: unknown };
  const dataJson = JSON.stringify(parsed.data);
  const sameData = !fromBaseline.errors && JSON.stringify(fromBaseline.data) === dataJson;
  // Every answer under load must carry exactly this data (and no errors).
  const prefix = `{"data":${dataJson}`;
  if (!answer.body.startsWith(prefix)) throw new Error(`query ${query.n}: the gateway's answer does not start with {"data":...}; the body check needs changing`);
  const verifyBody = (b: string) => b.startsWith(prefix) && (b[prefix.length] === '}' || b[prefix.length] === ',');
  const check = (res: { status: number; body: string }, what: string) => {
    if (res.status !== 200 || !verifyBody(res.body)) throw new Error(`query ${query.n}: ${what} answered ${res.status}: ${res.body.slice(0, 300)}`);
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
  await relay.plan(query.operationName, plan, answer.body);

  log(`query ${query.n}: warm-up`);
  await load(gateway.url, gatewayHeaders, body, verifyBody, gatewayPid, warmupSeconds);
  await load(baseline.url, baselineHeaders, body, verifyBody, baselinePid, warmupSeconds);
  for (let i = 0; i < 50 && minCalls; i++) {
    await direct.run(plan);
    check(await post(relay.url, baselineHeaders), 'the relay');
  }

  log(`query ${query.n}: latency at concurrency 1`);
  const gatewayLatency: number[] = [];
  const directLatency: number[] = [];
  const relayLatency: number[] = [];
  const baselineLatency: number[] = [];
  // For --seconds, and until there are enough samples for p99 to be more than the slowest one.
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || gatewayLatency.length < latencySamples) {
    // Interleaved, so both see the same machine.
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
  }

  const gatewayRuns: Throughput[] = [];
  const baselineRuns: Throughput[] = [];
  for (let r = 0; r < rounds; r++) {
    log(`query ${query.n}: throughput at ${connections} connections, round ${r + 1} of ${rounds}`);
    const runGateway = async () => gatewayRuns.push(await load(gateway.url, gatewayHeaders, body, verifyBody, gatewayPid, seconds));
    const runBaseline = async () => baselineRuns.push(await load(baseline.url, baselineHeaders, body, verifyBody, baselinePid, seconds));
    // Alternate which goes first, so a drift in the machine does not favour one.
    if (r % 2 === 0) {
      await runGateway();
      await runBaseline();
    } else {
      await runBaseline();
      await runGateway();
    }
  }

  return { query, callsPerOp: recorded.length / sequential, minCalls, sameData, gateway: gatewayRuns, baseline: baselineRuns, gatewayLatency, directLatency, relayLatency, baselineLatency, body, check };
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

/** CPU used by this run's processes (the bench itself and its four children), in ms. */
const ownCpuMs = () => {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1000 + cpuMs(emulator.child.pid!) + cpuMs(gatewayPid) + cpuMs(baselinePid) + cpuMs(relay.child.pid!);
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
  await stop(gateway.child); // the profile is written on exit
  log(`gateway CPU profile written to ${profileDir}/`);
}
http.close();
stopChildren();

// ---------------------------------------------------------------------------------------------
// Report

const summary = rows.map((row) => {
  const g = (f: (t: Throughput) => number) => median(row.gateway.map(f));
  const b = (f: (t: Throughput) => number) => median(row.baseline.map(f));
  const gatewayCpu = g((t) => t.cpuMsPerOp);
  const baselineCpu = b((t) => t.cpuMsPerOp);
  const direct50 = row.minCalls ? percentile(row.directLatency, 0.5) : 0;
  const direct99 = row.minCalls ? percentile(row.directLatency, 0.99) : 0;
  return {
    row,
    gatewayCpu,
    baselineCpu,
    ratio: gatewayCpu / baselineCpu,
    gateway50: percentile(row.gatewayLatency, 0.5),
    gateway99: percentile(row.gatewayLatency, 0.99),
    direct50,
    direct99,
    added50: percentile(row.gatewayLatency, 0.5) - direct50,
    added99: percentile(row.gatewayLatency, 0.99) - direct99,
    relayAdded50: row.minCalls ? percentile(row.relayLatency, 0.5) - direct50 : NaN,
    relayAdded99: row.minCalls ? percentile(row.relayLatency, 0.99) - direct99 : NaN,
    gatewayRps: g((t) => t.rps),
    baselineRps: b((t) => t.rps),
    peakRss: Math.max(...row.gateway.map((t) => t.peakRssMb)),
    baselinePeakRss: Math.max(...row.baseline.map((t) => t.peakRssMb)),
    bad: [...row.gateway, ...row.baseline].reduce((n, t) => n + t.bad, 0),
  };
});

/** Peak RSS under sustained load: the highest of the gateway's throughput phases. */
const peakRssMb = Math.max(...summary.map((s) => s.peakRss));
const baselinePeakRssMb = Math.max(...summary.map((s) => s.baselinePeakRss));
const cpus = os.cpus();
const out: string[] = [];
out.push(`### pai-graph bench, ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out.push('');
out.push(
  `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}. ` +
    `Emulator latency ${latencyMs} ms per call; ${seconds} s per measured phase, ${warmupSeconds} s warm-up, ${connections} connections, ${rounds} interleaved gateway/baseline rounds (median); ` +
    `gateway: dist/main.js, NODE_ENV=production, ${gatewayVars.NODE_OPTIONS ? `NODE_OPTIONS=${gatewayVars.NODE_OPTIONS}` : 'no NODE_OPTIONS'}, V3-signed upstream calls, a caller token${args['gateway-env'].length ? `, ${args['gateway-env'].join(' ')}` : ''}; ` +
    `baseline: bare Apollo Server on Fastify, same schema, data from memory. ` +
    `Other processes used ${fmt(Math.max(0, othersShare) * 100, 0)}% of the machine's CPU during the run (load average ${fmt(loadAverage, 1)} at its start).`,
);
out.push('');
out.push('| # | query | upstream calls/op (min) | gateway CPU ms/op | baseline CPU ms/op | gateway/baseline | added latency p50 / p99 ms @1 | gateway / baseline RPS @' + connections + ' | gateway peak RSS MB | 100 concurrent: upstream calls (distinct) |');
out.push('|---|---|---|---|---|---|---|---|---|---|');
for (const s of summary) {
  const q = s.row.query;
  out.push(
    `| ${q.n} | ${q.label} | ${fmt(s.row.callsPerOp, s.row.callsPerOp % 1 ? 1 : 0)} (${s.row.minCalls}) | ${fmt(s.gatewayCpu, 3)} | ${fmt(s.baselineCpu, 3)} | ${fmt(s.ratio, 1)}x | ` +
      `${fmt(s.added50, 2)} / ${fmt(s.added99, 2)} | ${Math.round(s.gatewayRps)} / ${Math.round(s.baselineRps)} | ${fmt(s.peakRss, 0)} | ${s.row.coalesced === undefined ? 'n/a' : `${s.row.coalesced} (${s.row.minCalls})`} |`,
  );
}
out.push('');
out.push(
  'Details: latency at concurrency 1 in ms (added = gateway minus direct, per percentile; the relay is a bare Node process making the same upstream calls and answering the same body, ' +
    'so its added latency is the floor any process in the path costs here, and the gateway\'s own share is the difference; the baseline, bare Apollo answering from memory with no upstream call, ' +
    'times the GraphQL work alone plus one hop, timed in the same loop); each throughput round; answers that were not the expected data; RSS during the 100-at-once step:',
);
out.push('');
out.push('| # | gateway p50 / p99 | direct p50 / p99 | bare relay p50 / p99 | added p50: relay floor + gateway\'s own | baseline (no upstream) p50 / p99 | samples | gateway CPU ms/op by round | baseline CPU ms/op by round | operations per round (gateway / baseline) | failed or wrong answers | gateway peak RSS MB, 100 at once |');
out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const s of summary) {
  const relayCells = s.row.minCalls
    ? `${fmt(percentile(s.row.relayLatency, 0.5), 2)} / ${fmt(percentile(s.row.relayLatency, 0.99), 2)} | ${fmt(s.relayAdded50, 2)} + ${fmt(s.added50 - s.relayAdded50, 2)}`
    : 'no calls | n/a';
  out.push(
    `| ${s.row.query.n} | ${fmt(s.gateway50, 2)} / ${fmt(s.gateway99, 2)} | ${s.row.minCalls ? `${fmt(s.direct50, 2)} / ${fmt(s.direct99, 2)}` : 'no calls'} | ${relayCells} | ${fmt(percentile(s.row.baselineLatency, 0.5), 2)} / ${fmt(percentile(s.row.baselineLatency, 0.99), 2)} | ${s.row.gatewayLatency.length} | ` +
      `${s.row.gateway.map((t) => fmt(t.cpuMsPerOp, 3)).join(', ')} | ${s.row.baseline.map((t) => fmt(t.cpuMsPerOp, 3)).join(', ')} | ` +
      `${s.row.gateway.map((t) => t.ops).join(', ')} / ${s.row.baseline.map((t) => t.ops).join(', ')} | ${s.bad} | ${s.row.coalescedPeakRssMb === undefined ? 'n/a' : fmt(s.row.coalescedPeakRssMb, 0)} |`,
  );
}
out.push('');
const allSame = summary.every((s) => s.row.sameData);
out.push(
  allSame
    ? 'Gateway and baseline returned identical `data` for every query.'
    : `Gateway and baseline returned DIFFERENT data for query ${summary.filter((s) => !s.row.sameData).map((s) => s.row.query.n).join(', ')}.`,
);
out.push('');

// Issue 13's targets.
const targets: [string, string, boolean][] = [];
for (const s of summary) {
  const q = s.row.query;
  if (q.cpuTarget) targets.push([`CPU/op ≤ ${q.cpuTarget}x baseline, query ${q.n}`, `${fmt(s.ratio, 1)}x`, s.ratio <= q.cpuTarget]);
}
for (const s of summary) {
  if (!s.row.minCalls) continue;
  targets.push([`added latency p50 ≤ 1 ms at concurrency 1, query ${s.row.query.n}`, `${fmt(s.added50, 2)} ms`, s.added50 <= 1]);
  targets.push([`added latency p99 ≤ 5 ms at concurrency 1, query ${s.row.query.n}`, `${fmt(s.added99, 2)} ms`, s.added99 <= 5]);
}
targets.push([`gateway peak RSS under sustained load ≤ 200 MB`, `${fmt(peakRssMb, 0)} MB`, peakRssMb <= 200]);
for (const s of summary) {
  if (s.row.coalesced === undefined) continue;
  targets.push([`100 identical concurrent operations: 1 upstream call per distinct resource, query ${s.row.query.n}`, `${s.row.coalesced} calls for ${s.row.minCalls}`, s.row.coalesced === s.row.minCalls]);
}
out.push(
  `Gateway RSS after startup, before any load: ${fmt(idleRssMb, 0)} MB; under sustained load at most ${fmt(peakRssMb, 0)} MB. ` +
    `The baseline (bare Apollo Server on Fastify) for comparison: ${fmt(baselineIdleRssMb, 0)} MB idle, at most ${fmt(baselinePeakRssMb, 0)} MB under the same load (per query: ${summary.map((s) => `${s.row.query.n}: ${fmt(s.baselinePeakRss, 0)}`).join(', ')}).`,
);
out.push('');
out.push('| issue 13 target | measured | |');
out.push('|---|---|---|');
for (const [name, measured, pass] of targets) out.push(`| ${name} | ${measured} | ${pass ? 'pass' : '**FAIL**'} |`);
out.push('');
process.stdout.write(`${out.join('\n')}\n`);
log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
