// Compiles src/ to dist/ with tsc (`npm run build`), or, with --if-stale, only when dist/ was
// not compiled from the sources as they are now (`prepare` after `npm ci`, and `prestart`), so
// `npm start` on a built checkout starts `node dist/main.js` at once instead of running tsc.
// With --after-install (`prepare`) a failed or impossible build warns instead of failing the
// install: sources that do not compile yet must not stop `npm ci` (tests run from source), and
// `npm start` reports the error when it is asked to start.
//
// "As they are now" is a SHA-256 over every file under src/ (path and bytes), the tsconfig
// files and the TypeScript version, written to dist/.build-inputs after a successful build.
// Content rather than modification times: a branch switch, a `git stash` round trip or a copy
// that keeps old mtimes cannot fool it, and hashing the ~1 MB of sources takes milliseconds.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

const ROOT = process.cwd();
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];
const OUT_DIR = join(ROOT, 'dist');
const ENTRY = join(OUT_DIR, 'main.js');
const STAMP = join(OUT_DIR, '.build-inputs');

const ifStale = process.argv.includes('--if-stale');
const afterInstall = process.argv.includes('--after-install');
const require = createRequire(join(ROOT, 'package.json'));

function typescriptVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Every file under the directory `path`, sorted, so the hash does not depend on readdir order. */
function files(path) {
  const entries = readdirSync(path, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).sort();
}

function inputsHash() {
  const hash = createHash('sha256').update(`typescript ${typescriptVersion() ?? 'none'}\n`);
  for (const input of INPUTS) {
    const path = join(ROOT, input);
    if (!existsSync(path)) continue;
    for (const file of statSync(path).isDirectory() ? files(path) : [path]) {
      const bytes = readFileSync(file);
      hash.update(`${relative(ROOT, file).split(sep).join('/')}\0${bytes.length}\0`).update(bytes);
    }
  }
  return hash.digest('hex');
}

const hash = inputsHash();
if (ifStale && existsSync(ENTRY) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) {
  console.error('dist/ is up to date with src/: not compiling');
  process.exit(0);
}

/** Stops with `message`; after an install only warns, since `npm start` will say it again. */
function fail(message, status = 1) {
  console.error(afterInstall ? `warning: ${message}; \`npm start\` will try again` : message);
  process.exit(afterInstall ? 0 : status);
}

if (typescriptVersion() === undefined) fail('dist/ is missing or older than src/, and TypeScript is not installed to compile it: run `npm ci` (with dev dependencies) first');
console.error(ifStale ? 'dist/ is missing or older than src/: compiling (tsc -p tsconfig.build.json)' : 'compiling (tsc -p tsconfig.build.json)');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (tsc.status !== 0) fail(`tsc -p tsconfig.build.json failed (exit code ${tsc.status ?? tsc.signal})`, tsc.status ?? 1);
// The hash taken before compiling: a source edited during the build leaves dist/ stale, not falsely current.
writeFileSync(STAMP, `${hash}\n`);
