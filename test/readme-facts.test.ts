import { readFileSync } from 'node:fs';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, GatewayError } from '../src/core/errors.js';
import { REQUEST_ERROR_CODES } from '../src/core/format-error.js';
import { TRANSPORT_ERROR_CODES } from '../src/core/transport.js';
import { startHarness, type Harness } from './helpers/harness.js';

/**
 * What README.md states as fact is what the code does (issue 18): the demo data's numbers are
 * what the emulator serves through the gateway, and the error table lists exactly the codes
 * the gateway can return, each with its HTTP status.
 */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const WORDS: Record<string, number> = { one: 1, two: 2, three: 3 };

/** The number README states in `pattern`'s first group (digits or a small number word). */
function stated(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`README no longer says ${pattern}; update this test with it`);
  return WORDS[match[1]!] ?? Number(match[1]);
}

describe("README's demo data", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const demo = /loads demo data \(([\s\S]*?)\) and says so/.exec(README)![1]!.replace(/\s+/g, ' ');

  it('has the numbers of models, algorithms, eval tasks, TensorBoards and services the emulator serves', async () => {
    h.resetCalls();
    const r = await h.gql(`{
      own: models(first: 0) { totalCount }
      pai: models(first: 0, filter: { provider: "pai" }) { totalCount }
      algorithms(first: 0) { totalCount }
      paiAlgorithms: algorithms(first: 0, filter: { provider: "pai" }) { totalCount }
      evalTasks(first: 0) { totalCount }
      tensorboards(first: 0) { totalCount }
      allTensorboards: tensorboards(first: 0, filter: { createdAfter: "2000-01-01T00:00:00Z" }) { totalCount }
    }`);
    // A separate operation: a version per service would put one operation over the cost limit.
    const svc = await h.gql('{ services(first: 20) { totalCount nodes { modelVersion { id } } } }');
    expect([r.body.errors, svc.body.errors]).toEqual([undefined, undefined]);
    const d = { ...r.body.data!, ...svc.body.data! };
    expect({
      models: d.own.totalCount,
      publicModels: d.pai.totalCount,
      algorithms: d.algorithms.totalCount,
      publicAlgorithms: d.paiAlgorithms.totalCount,
      evalTasks: d.evalTasks.totalCount,
      tensorboardsOfTheLastWeek: d.tensorboards.totalCount,
      olderTensorboards: d.allTensorboards.totalCount - d.tensorboards.totalCount,
      services: d.services.totalCount,
      servicesFromDemoVersions: d.services.nodes.filter((s: { modelVersion: unknown }) => s.modelVersion !== null).length,
    }).toEqual({
      models: stated(demo, /(\d+) models of your own/),
      publicModels: stated(demo, /plus (\d+) public models of provider `pai`/),
      algorithms: stated(demo, /(\d+) algorithms with typed specs/),
      publicAlgorithms: stated(demo, /plus (\d+) public ones of provider `pai`/),
      evalTasks: stated(demo, /(\d+) evaluation tasks/),
      tensorboardsOfTheLastWeek: stated(demo, /(\d+) TensorBoards of the last week/),
      olderTensorboards: stated(demo, /plus (\w+) from a month ago/),
      services: stated(demo, /(\d+) EAS services/),
      servicesFromDemoVersions: stated(demo, /(\d+) of them deployed from demo model versions/),
    });
    // One list per count, and one GetModelVersion per service that names a demo version.
    const fromVersions = d.services.nodes.filter((s: { modelVersion: unknown }) => s.modelVersion !== null).length;
    expect(h.actions().sort()).toEqual(
      ['ListAlgorithms', 'ListAlgorithms', 'ListModels', 'ListModels', 'ListOnlineEvalTasks', 'ListServices', 'ListTensorboards', 'ListTensorboards', ...Array(fromVersions).fill('GetModelVersion')].sort(),
    );
  });

  it('has eval tasks and TensorBoards in every status, as it says', async () => {
    const r = await h.gql(`{
      evalTasks(first: 100) { nodes { status } }
      tensorboards(first: 100) { nodes { status } }
      evalStatus: __type(name: "EvalTaskStatus") { enumValues { name } }
      tensorboardStatus: __type(name: "TensorboardStatus") { enumValues { name } }
    }`);
    const d = r.body.data!;
    const statuses = (nodes: { status: string }[]) => [...new Set(nodes.map((n) => n.status))].sort();
    const values = (t: { enumValues: { name: string }[] }) => t.enumValues.map((v) => v.name).sort();
    expect(demo).toContain('evaluation tasks in every status');
    expect(statuses(d.evalTasks.nodes)).toEqual(values(d.evalStatus));
    // Not every status: a new TensorBoard is CREATING for 2 s only. README names the ones there are.
    const named = /TensorBoards of the last week, ([a-z, ]+?), plus/.exec(demo)![1]!.split(/, | and /).map((w) => w.toUpperCase());
    expect(statuses(d.tensorboards.nodes)).toEqual(named.sort());
    expect(values(d.tensorboardStatus)).toEqual(expect.arrayContaining(named));
  });

  it('names the model the examples use by its id', async () => {
    const [, id, name] = /`(model-[a-z0-9]+)` is\s+`([^`]+)`/.exec(README)!;
    h.resetCalls();
    const r = await h.gql('query ($id: ID!) { model(id: $id) { name } }', { id });
    expect(r.body.data).toEqual({ model: { name } });
    expect(h.actions()).toEqual(['GetModel']);
  });
});

describe("README's error table", () => {
  const section = README.slice(README.indexOf('\n## Errors\n'), README.indexOf('\n### Scalars and enums\n'));
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  const table = new Map(rows);

  /**
   * Apollo raises PERSISTED_QUERY_NOT_SUPPORTED only when automatic persisted queries are off,
   * and createServer never turns them off; format-error would show it, the gateway never sends it.
   */
  const neverSent = new Set<string>([ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED]);

  it('lists every code the gateway can return, once, and no other', () => {
    const codes = new Set([...Object.values(ErrorCode), ...Object.values(TRANSPORT_ERROR_CODES), ...[...REQUEST_ERROR_CODES].filter((c) => !neverSent.has(c))]);
    expect(rows.length).toBe(table.size);
    expect([...table.keys()].sort()).toEqual([...codes].sort());
  });

  it("states each code's HTTP status as the gateway sends it", () => {
    for (const code of Object.values(ErrorCode)) expect([code, table.get(code)]).toEqual([code, new GatewayError(code, 'x').httpStatus]);
    // A transport code may come with several statuses (BAD_REQUEST: 400, and 405 for a method a
    // path does not take): the table gives the first and names the others in its text.
    const statuses = new Map<string, number[]>();
    for (const [status, code] of Object.entries(TRANSPORT_ERROR_CODES)) statuses.set(code, [...(statuses.get(code) ?? []), Number(status)]);
    for (const [code, list] of statuses) {
      expect([code, table.get(code)]).toEqual([code, Math.min(...list)]);
      const line = section.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      for (const other of list.filter((n) => n !== Math.min(...list))) expect([code, line]).toEqual([code, expect.stringContaining(`(${other}`)]);
    }
    // Apollo Server's request errors are 400, except the APQ protocol's "send the document" (200).
    for (const code of [...REQUEST_ERROR_CODES].filter((c) => !neverSent.has(c))) {
      expect([code, table.get(code)]).toEqual([code, code === (ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND as string) ? 200 : 400]);
    }
  });
});
