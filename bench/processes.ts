/**
 * The bench's child processes (emulator, gateway, baseline, reference gateway, relay) and what
 * /proc says about them. All but the relay, whose CPU time is never read, run compiled
 * JavaScript under plain `node`, never under tsx, so their CPU time is their own.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ENV_VARIABLES } from '../src/core/config.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far (user + system, all its threads), in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** CPU time of the whole machine so far, in ms: busy (every state but idle and iowait) and total. */
export function machineCpuMs(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.slice(0, 8).map(Number) as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: (busy * 1000) / CLK_TCK, total: ((busy + idle + iowait) * 1000) / CLK_TCK };
}

/** A memory figure of /proc/<pid>/status (VmRSS: resident now; VmHWM: the peak so far), in MB. */
export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * The process's peak RSS while `work` runs, in MB: VmHWM after resetting it (writing 5 to
 * /proc/<pid>/clear_refs, Linux 4.0+, needs the right to write there), or else the highest
 * VmRSS sampled every 50 ms.
 */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let reset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    reset = false;
  }
  let sampled = memoryMb(pid, 'VmRSS');
  const timer = setInterval(() => {
    sampled = Math.max(sampled, memoryMb(pid, 'VmRSS'));
  }, 50);
  try {
    const result = await work();
    return { result, peakMb: reset ? memoryMb(pid, 'VmHWM') : Math.max(sampled, memoryMb(pid, 'VmRSS')) };
  } finally {
    clearInterval(timer);
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/**
 * The environment of a child: this process's, without any variable the gateway or emulator
 * reads (so a PAI_REGION or DASHSCOPE_API_KEY in the shell cannot change what is measured) and
 * without NODE_OPTIONS, plus `vars`.
 */
function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!ENV_VARIABLES.includes(k) && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, ...vars };
}

const children = new Set<ChildProcess>();
/** Children being stopped on purpose, whose exit is no news. */
const stopping = new Set<ChildProcess>();
/** Stops every child this process started (only those). */
export function stopChildren() {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    stopping.add(child);
    child.kill('SIGTERM');
  }
}
process.once('exit', stopChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopChildren();
    process.exit(130);
  });
}

function track(child: ChildProcess, name: string): ChildProcess {
  children.add(child);
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (!stopping.has(child)) process.stderr.write(`bench: the ${name} process exited unexpectedly (code ${code}, signal ${signal})\n`);
  });
  return child;
}
/** Stops one child and waits until it has exited. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilUp(url: string, child: ChildProcess, name: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the ${name} exited during startup (code ${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the ${name} did not answer ${url} within ${timeoutMs} ms`);
}

export interface AccessKeyPair {
  readonly id: string;
  readonly secret: string;
}

/** `node dist/emulator/main.js` with the demo data, verifying V3 signatures made with `key`. */
export async function startEmulator(key: AccessKeyPair): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ['dist/emulator/main.js'], {
      cwd: ROOT,
      env: childEnv({ EMULATOR_HOST: '127.0.0.1', EMULATOR_PORT: String(port), EMULATOR_ACCESS_KEY_ID: key.id, EMULATOR_ACCESS_KEY_SECRET: key.secret, EMULATOR_DEMO_DATA: 'true' }),
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
    'emulator',
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/__emulator/health`, child, 'emulator');
  return { child, url };
}

/** `node dist/main.js` of this checkout (or of `root`), configured only by environment variables, as in production. */
export async function startGateway(vars: Record<string, string>, nodeArgs: string[] = [], root = ROOT): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [...nodeArgs, 'dist/main.js'], { cwd: root, env: childEnv({ ...vars, PORT: String(port), HOST: '127.0.0.1' }), stdio: ['ignore', 'ignore', 'inherit'] }),
    root === ROOT ? 'gateway' : `gateway of ${root}`,
  );
  await waitUntilUp(`http://127.0.0.1:${port}/healthz`, child, 'gateway');
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

/**
 * Time the gateway has spent in garbage collection so far, in ms: the sum of its
 * `pai_graph_nodejs_gc_duration_seconds` histogram (prom-client's default metrics, on /metrics,
 * which asks for no token unless METRICS_TOKEN is set).
 */
export async function gatewayGcMs(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  let seconds = 0;
  for (const match of text.matchAll(/^pai_graph_nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm)) seconds += Number(match[1]);
  return seconds * 1000;
}

/** A forked bench server (baseline or relay): it says `listening` with its port, and acknowledges each stored message with `stored`. */
async function forkIpcServer(
  file: string,
  name: string,
  vars: Record<string, string>,
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; url: string; store: (message: { type: string; operationName: string; [field: string]: unknown }) => Promise<void>; gcMs: () => Promise<number> }> {
  // Plain node unless told otherwise: fork would pass tsx's loader flags on; execArgv: [] does not.
  const child = track(fork(`${ROOT}bench/${file}`, [], { cwd: ROOT, execArgv, env: childEnv(vars), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }), name);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${name} exited during startup (code ${code})`)));
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'listening' && m.port) resolve(m.port);
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}/graphql`,
    store: (message) =>
      new Promise<void>((resolve) => {
        const onMessage = (m: { type?: string; operationName?: string }) => {
          if (m.type === 'stored' && m.operationName === message.operationName) {
            child.off('message', onMessage);
            resolve();
          }
        };
        child.on('message', onMessage);
        child.send(message);
      }),
    gcMs: () =>
      new Promise<number>((resolve) => {
        const onMessage = (m: { type?: string; ms?: number }) => {
          if (m.type === 'gc') {
            child.off('message', onMessage);
            resolve(m.ms ?? NaN);
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'gc' });
      }),
  };
}

export interface Baseline {
  readonly child: ChildProcess;
  readonly url: string;
  /** Makes the baseline answer operation `operationName` with these `variables` with `data`. */
  serve(operationName: string, variables: Record<string, unknown>, data: unknown): Promise<void>;
  /** Time it has spent in garbage collection so far, in ms. */
  gcMs(): Promise<number>;
}

/** bench/baseline.mjs under plain node. */
export async function startBaseline(): Promise<Baseline> {
  const { child, url, store, gcMs } = await forkIpcServer('baseline.mjs', 'baseline', { NODE_ENV: 'production' });
  return { child, url, serve: (operationName, variables, data) => store({ type: 'data', operationName, variables, data }), gcMs };
}

export interface Relay {
  readonly child: ChildProcess;
  readonly url: string;
  /** Makes the relay answer operation `operationName` by making these upstream calls, in waves, then sending `body`. */
  plan(operationName: string, waves: readonly (readonly unknown[])[], body: string): Promise<void>;
}

/** bench/relay.ts under tsx (the bench's own loader flags): the bare-Node floor of added latency, signing with `key`. */
export async function startRelay(upstream: string, key: AccessKeyPair): Promise<Relay> {
  const { child, url, store } = await forkIpcServer('relay.ts', 'relay', { BENCH_UPSTREAM: upstream, BENCH_ACCESS_KEY_ID: key.id, BENCH_ACCESS_KEY_SECRET: key.secret }, process.execArgv);
  return { child, url, plan: (operationName, waves, body) => store({ type: 'plan', operationName, waves, body }) };
}

/**
 * bench/reference.mjs under plain node: issue 13's reference design (Apollo + DataLoader +
 * undici, nothing else), calling `upstream` signed with `key`, run with the gateway's
 * NODE_OPTIONS so both have the same heap.
 */
export async function startReference(upstream: string, key: AccessKeyPair, nodeOptions: string, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string; gcMs: () => Promise<number> }> {
  const { child, url, gcMs } = await forkIpcServer(
    'reference.mjs',
    'reference',
    {
      NODE_ENV: 'production',
      BENCH_UPSTREAM: upstream,
      BENCH_ACCESS_KEY_ID: key.id,
      BENCH_ACCESS_KEY_SECRET: key.secret,
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    },
    nodeArgs,
  );
  return { child, url, gcMs };
}
