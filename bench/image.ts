/**
 * What the Docker image sets for Node: the bench runs the gateway with it, and
 * test/deploy.test.ts checks the Kubernetes Deployment sets the same.
 */
import { readFileSync } from 'node:fs';

/** The runtime stage's `ENV NODE_OPTIONS=...` of the Dockerfile: one value, bare or in double quotes. */
export function imageNodeOptions(dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')): string {
  const found = [...dockerfile.matchAll(/^ENV NODE_OPTIONS=(?:"([^"\\$]*)"|([^\s"\\$]+))$/gm)];
  if (found.length !== 1) throw new Error(`the Dockerfile holds ${found.length} \`ENV NODE_OPTIONS=...\` lines, not one: teach bench/image.ts its new form`);
  return found[0]![1] ?? found[0]![2]!;
}
