import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The gateway and the emulator as separate processes, started the way `npm start` and
 * `npm run emulator` start them but from source (`--import tsx`), so tests need no build;
 * and `npm start` itself, for the test of a built checkout.
 */

export interface Started {
  readonly process: ChildProcess;
  /** Resolves with the first match of the ready pattern in the output; rejects if the process exits first. */
  readonly ready: Promise<string>;
  /** Everything the process wrote to stdout and stderr so far. */
  readonly output: string[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The environment of the test run without anything that would pick an upstream or a credential. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !/^(PAI_|DASHSCOPE|EMULATOR_|ALIBABA_CLOUD_|GATEWAY_|NODE_ENV$|ALLOW_ANONYMOUS$|PORT$|HOST$)/.test(e[0]),
    ),
  );
}

function start(entry: string, env: Record<string, string>, readyPattern: RegExp): Started {
  return launch(process.execPath, ['--import', 'tsx', entry], env, readyPattern, false);
}

/**
 * `group`: the command starts processes of its own (npm runs the script through a shell), so it
 * gets a process group and stop() signals the whole group, then waits until every process that
 * held its output has exited (npm does not pass SIGTERM on to the script's shell's child).
 */
function launch(command: string, args: string[], env: Record<string, string>, readyPattern: RegExp, group: boolean): Started {
  const output: string[] = [];
  const entry = [command, ...args].join(' ');
  const proc = spawn(command, args, { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = readyPattern.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${output.join('')}`));
    });
  });
  ready.catch(() => undefined);
  return {
    process: proc,
    ready,
    output,
    stop() {
      if (group) {
        const closed = new Promise<number | null>((resolve) => (proc.stdout.closed && proc.stderr.closed ? resolve(proc.exitCode) : proc.once('close', (code) => resolve(code))));
        try {
          process.kill(-proc.pid!, 'SIGTERM');
        } catch {
          // the whole group has exited already
        }
        return closed;
      }
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * src/main.ts with a clean environment plus `env` (by default on any free port, loopback only,
 * development mode, info logs); `ready` resolves with the GraphQL URL it prints.
 */
export const startGateway = (env: Record<string, string>): Started =>
  start('src/main.ts', { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'info', ...env }, /pai-graph ready at (http:\/\/\S+\/graphql)/);

/**
 * `npm start` itself (its `prestart` check, then `node dist/main.js`) with the same defaults as
 * startGateway; `stop()` sends SIGTERM to its whole process group, npm and the gateway alike.
 */
export const startNpmStart = (env: Record<string, string>): Started =>
  launch('npm', ['start'], { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'info', ...env }, /pai-graph ready at (http:\/\/\S+\/graphql)/, true);

/** src/emulator/main.ts (`npm run emulator`); `ready` resolves with the origin it listens on. */
export const startEmulatorProcess = (env: Record<string, string>): Started => start('src/emulator/main.ts', env, /PAI emulator listening at (http:\/\/[\d.:]+)/);
