import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import semver from 'semver';

/**
 * The Node versions pai-graph supports are the ones it installs cleanly on (issue 18): every
 * package in package-lock.json, production or development, must declare an `engines.node` that
 * admits the lowest version `engines` allows and the version `.nvmrc` and the Docker image use,
 * so `npm ci` prints no EBADENGINE on either. A dependency update that drops a supported Node
 * fails here, in CI, before anyone meets the warning.
 */

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; engines?: unknown; dev?: boolean }> };

const lowest = semver.minVersion(pkg.engines.node)!.version;
const nvmrc = read('.nvmrc').trim();
const current = semver.coerce(nvmrc)!.version;

describe('supported Node versions', () => {
  it('are stated once, alike, in engines, .nvmrc, the Dockerfile, CI and the README', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(semver.satisfies(current, pkg.engines.node)).toBe(true);
    expect([...read('Dockerfile').matchAll(/^FROM node:(\d+)\S*/gm)].map((m) => m[1])).toEqual([nvmrc, nvmrc]);
    expect(read('README.md')).toContain(`Node.js ${semver.major(lowest)}.${semver.minor(lowest)} or newer`);
    expect(read('.ci/run')).toContain(`Node ${semver.major(lowest)}.${semver.minor(lowest)}+`);
  });

  it.each([lowest, current])('admit every installed package on Node %s (no EBADENGINE from npm ci)', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = (entry.engines as { node?: unknown } | undefined)?.node;
        if (typeof range !== 'string') return [];
        return semver.satisfies(version, range, { includePrerelease: true }) ? [] : [`${path.replace(/^.*node_modules\//, '')}@${entry.version} (${entry.dev ? 'dev' : 'production'}) needs node ${range}`];
      });
    expect(refusing).toEqual([]);
  });

  it('count the packages they check, so an empty lockfile cannot pass', () => {
    const withEngines = Object.values(lock.packages).filter((e) => typeof (e.engines as { node?: unknown } | undefined)?.node === 'string');
    expect(withEngines.length).toBeGreaterThan(100);
  });
});
