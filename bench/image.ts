/**
 * What the Docker image sets for Node, read from the Dockerfile: the bench runs the gateway with
 * it, test/deploy.test.ts checks the Kubernetes Deployment sets the same, and the README's
 * `docker run` commands are tested with it.
 */
import { readFileSync } from 'node:fs';

const read = () => readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');

/** One ENV instruction's arguments as this reader knows them. */
const ENV_PAIRS = /^(?:\s*[A-Za-z_][A-Za-z0-9_]*=(?:"[^"\\$]*"|[^\s"\\$]+))+\s*$/;

/**
 * The environment of the Dockerfile's last (runtime) stage: its `ENV NAME=value ...`
 * instructions, continued lines joined, values bare or in double quotes (no escapes, no `$`).
 */
export function imageEnv(dockerfile = read()): Record<string, string> {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  const stage = joined.slice(Math.max(0, joined.lastIndexOf('\nFROM ')));
  const env: Record<string, string> = {};
  for (const [, rest] of stage.matchAll(/^ENV\s+(.+)$/gm)) {
    if (!ENV_PAIRS.test(rest!)) throw new Error(`Dockerfile: ENV ${rest}: not NAME=value pairs this reader knows; teach bench/image.ts its form`);
    for (const [, name, quoted, bare] of rest!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S+))/g)) env[name!] = quoted ?? bare!;
  }
  return env;
}

/** The image's NODE_OPTIONS. */
export function imageNodeOptions(dockerfile = read()): string {
  const value = imageEnv(dockerfile).NODE_OPTIONS;
  if (value === undefined) throw new Error('the Dockerfile sets no NODE_OPTIONS in its runtime stage');
  return value;
}
