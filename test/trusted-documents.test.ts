import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256 } from '../src/core/auth.js';
import { readManifest } from '../src/core/plugins/trusted-documents.js';
import { startHarness, type Harness } from './helpers/harness.js';

const LIST = 'query ModelList { models(first: 2) { totalCount nodes { id name } } }';
const dir = mkdtempSync(join(tmpdir(), 'pai-graph-manifest-'));
const manifestPath = join(dir, 'manifest.json');
writeFileSync(manifestPath, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(LIST), name: 'ModelList', type: 'query', body: LIST }] }));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ trustedDocuments: { manifest: readManifest(manifestPath), only: true } });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (body: Record<string, unknown>) =>
  fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('trusted documents', () => {
  it('runs a manifest document sent by hash alone', async () => {
    const r = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LIST) } } });
    expect(r.status).toBe(200);
    expect(r.body.data.models.nodes).toHaveLength(2);
  });

  it('runs a manifest document sent in full', async () => {
    expect((await send({ query: LIST })).status).toBe(200);
  });

  it('refuses any other document with 400 before any upstream call', async () => {
    h.resetCalls();
    const r = await send({ query: '{ models(first: 1) { totalCount } }' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'PERSISTED_DOCUMENT_REQUIRED' } });
    // An unknown hash is a cache miss under the APQ protocol; registering it is refused.
    const unknownHash = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } });
    expect(unknownHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await send({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } });
    expect(register.status).toBe(400);
    expect(register.body.errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('refuses a manifest whose hashes do not match their documents', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ [sha256('{ a }')]: '{ b }' }));
    expect(() => readManifest(bad)).toThrow(/does not hash to its id/);
  });
});

describe('automatic persisted queries without a manifest', () => {
  it('registers a document by hash and then runs it by hash alone', async () => {
    const open = await startHarness();
    try {
      const hash = sha256(LIST);
      const post = (body: Record<string, unknown>) => fetch(open.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
      const miss = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post({ query: LIST, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).status).toBe(200);
      const hit = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(hit.body.data.models.nodes).toHaveLength(2);
    } finally {
      await open.close();
    }
  });
});
