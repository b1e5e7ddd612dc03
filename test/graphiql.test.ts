import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Kind, parse } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { parseGatewayTokens } from '../src/core/auth.js';
import { exampleTabs, SANDBOX_VARIABLES } from '../src/sandbox.js';
import { findChromium, launchOfflineBrowser, type OfflineContext } from './helpers/browser.js';
import { startHarness, type Harness } from './helpers/harness.js';

const require = createRequire(import.meta.url);
const packageFile = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));

let h: Harness;
let origin: string;
beforeAll(async () => {
  h = await startHarness();
  origin = new URL(h.url).origin;
});
afterAll(() => h.close(), 60_000);

/** The src and href values of a page, in order. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

const page = async () => {
  const res = await fetch(`${origin}/graphiql`);
  return { res, html: await res.text() };
};

describe('GraphiQL assets same-origin', () => {
  it('serves /graphiql as a page whose every script, stylesheet and icon is same-origin, each served 200 with its content type', async () => {
    h.resetCalls();
    const { res, html } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const refs = references(html);
    // The icon is an empty data: URL, so the browser asks no one for /favicon.ico.
    expect(refs.filter((r) => r.startsWith('data:'))).toEqual(['data:,']);
    const files = refs.filter((r) => !r.startsWith('data:')).map((r) => new URL(r, res.url));
    expect(files.map((u) => u.origin)).toEqual(files.map(() => origin));
    expect(files.map((u) => u.pathname.split('/').pop())).toEqual(['graphiql.min.css', 'react.production.min.js', 'react-dom.production.min.js', 'graphql-ws.min.js', 'graphiql.min.js', 'start.js']);
    for (const url of files) {
      const file = await fetch(url);
      expect({ url: url.pathname, status: file.status, type: file.headers.get('content-type'), cache: file.headers.get('cache-control'), nosniff: file.headers.get('x-content-type-options') }).toEqual({
        url: url.pathname,
        status: 200,
        type: url.pathname.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
        cache: 'public, max-age=31536000, immutable',
        nosniff: 'nosniff',
      });
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    // Only `data:` and this origin: nothing on the page names another host.
    expect(html.match(/(?:https?:|wss?:)?\/\/[a-z0-9.-]+/gi) ?? []).toEqual([]);
    expect(h.actions()).toEqual([]);
  });

  it('serves the packages’ own built files unchanged, gzipped for clients that accept it', async () => {
    const { res, html } = await page();
    const url = (name: string) => new URL(references(html).find((r) => r.endsWith(`/${name}`))!, res.url);
    const expected = {
      'graphiql.min.js': packageFile('graphiql', 'graphiql.min.js'),
      'graphiql.min.css': packageFile('graphiql', 'graphiql.min.css'),
      'react.production.min.js': packageFile('react', 'umd/react.production.min.js'),
      'react-dom.production.min.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
      'graphql-ws.min.js': packageFile('graphql-ws', 'umd/graphql-ws.min.js'),
    };
    for (const [name, bytes] of Object.entries(expected)) {
      const plain = await fetch(url(name), { headers: { 'accept-encoding': 'identity' } });
      expect({ name, encoding: plain.headers.get('content-encoding'), same: Buffer.from(await plain.arrayBuffer()).equals(bytes) }).toEqual({ name, encoding: null, same: true });
      // fetch decodes the gzip body; what arrives must be the same file.
      const gzipped = await fetch(url(name), { headers: { 'accept-encoding': 'gzip' } });
      expect({ name, encoding: gzipped.headers.get('content-encoding'), vary: gzipped.headers.get('vary'), same: Buffer.from(await gzipped.arrayBuffer()).equals(bytes) }).toEqual({ name, encoding: 'gzip', vary: 'accept-encoding', same: true });
    }
    const refused = await fetch(url('graphiql.min.js'), { headers: { 'accept-encoding': 'gzip;q=0, br' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    // Read to the end: an answer left unread holds its connection busy, and closing the
    // server would wait for it (a megabyte does not always fit in the sockets' buffers).
    expect(Buffer.from(await refused.arrayBuffer()).equals(expected['graphiql.min.js'])).toBe(true);
  });

  it('forbids inline scripts and every other origin in the page’s Content-Security-Policy', async () => {
    const { res, html } = await page();
    const csp = Object.fromEntries(res.headers.get('content-security-policy')!.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(csp).toMatchObject({ 'default-src': "'none'", 'script-src': "'self'", 'connect-src': "'self'", 'frame-ancestors': "'none'" });
    // Every script element loads a file, but the settings block, which browsers do not run.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim());
    expect(scripts.filter((attrs) => !attrs.includes('src='))).toEqual(['type="application/json" id="graphiql-settings"']);
  });

  it('opens with the example operations as tabs, one operation each, with the variables it declares', async () => {
    const { html } = await page();
    const settings = JSON.parse(/<script type="application\/json" id="graphiql-settings">([^<]*)<\/script>/.exec(html)![1]!) as { endpoint: string; tabs: { query: string; variables?: string }[] };
    expect(settings.endpoint).toBe('/graphql');
    expect(settings.tabs).toEqual(exampleTabs());
    const operations = settings.tabs.map((t) => parse(t.query).definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.name?.value : d.kind)));
    expect(operations).toEqual([['ModelList'], ['DeployModelVersion'], ['ServiceStatus'], ['ServiceChanged']]);
    expect(settings.tabs[0]!.query).toMatch(/^# Welcome to pai-graph/);
    expect(settings.tabs.map((t) => (t.variables === undefined ? undefined : JSON.parse(t.variables)))).toEqual([SANDBOX_VARIABLES, undefined, undefined, undefined]);
  });

  it('answers 404 for a file it does not serve, and for a file under an old hash', async () => {
    const { res, html } = await page();
    const current = new URL(references(html).find((r) => r.endsWith('/graphiql.min.js'))!, res.url);
    for (const path of ['/graphiql/assets/0000000000000000/graphiql.min.js', current.pathname.replace('graphiql.min.js', 'graphiql.js'), '/graphiql/assets/graphiql.min.js', '/graphiql/../package.json']) {
      const missing = await fetch(`${origin}${path}`);
      expect({ path, status: missing.status, code: ((await missing.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
  });

  it('links the Sandbox landing page’s offline fallback to /graphiql', async () => {
    const landing = await (await fetch(h.url, { headers: { accept: 'text/html' } })).text();
    expect(landing).toContain('embeddable-sandbox');
    const fallback = /<div class="fallback">([\s\S]*?)<\/div>/.exec(landing)![1]!;
    expect(fallback).toContain('<a href="/graphiql">Open GraphiQL</a>');
  });
});

describe('with GRAPHIQL=false, the production default', () => {
  it('serves no /graphiql, and the landing page does not link to it', async () => {
    const off = await startHarness({ graphiql: false });
    const prod = await startHarness({ env: 'production' });
    try {
      const served = await page();
      const file = new URL(references(served.html).find((r) => r.endsWith('/graphiql.min.js'))!, served.res.url).pathname;
      for (const gateway of [off, prod]) {
        const at = new URL(gateway.url).origin;
        expect((await fetch(`${at}/graphiql`)).status).toBe(404);
        expect((await fetch(`${at}${file}`)).status).toBe(404);
      }
      const landing = await (await fetch(off.url, { headers: { accept: 'text/html' } })).text();
      expect(landing).toContain('embeddable-sandbox');
      expect(landing).not.toContain('/graphiql');
      expect(off.actions()).toEqual([]);
      expect(prod.actions()).toEqual([]);
    } finally {
      await off.close();
      await prod.close();
    }
  });
});

describe('with GRAPHIQL=true in production', () => {
  it('serves /graphiql, where / leads in place of the Sandbox page production has not', async () => {
    const prod = await startHarness({ env: 'production', graphiql: true });
    try {
      const at = new URL(prod.url).origin;
      const ide = await fetch(`${at}/graphiql`);
      expect(ide.status).toBe(200);
      expect(await ide.text()).toContain('graphiql');
      const home = await fetch(`${at}/`, { redirect: 'manual' });
      expect({ status: home.status, location: home.headers.get('location') }).toEqual({ status: 302, location: '/graphiql' });
      expect(prod.actions()).toEqual([]);
    } finally {
      await prod.close();
    }
  });

  it('keeps / leading to the Sandbox page outside production', async () => {
    const home = await fetch(`${origin}/`, { redirect: 'manual' });
    expect({ status: home.status, location: home.headers.get('location') }).toEqual({ status: 302, location: '/graphql' });
  });
});

const executablePath = findChromium();
const NO_BROWSER = 'No Chromium found (install Debian’s chromium package, or set CHROME_PATH): the browser tests of GraphiQL are skipped.';

describe('GraphiQL in a real browser, with every request off this machine blocked', () => {
  if (!executablePath) {
    // CI installs chromium (.ci/run), so there a missing browser is a failure, not a skip.
    if (process.env.CI) it('finds a Chromium to run in', () => expect(NO_BROWSER).toBe('a Chromium executable'));
    // Elsewhere the browser tests are left out with a warning; the HTTP tests above still run.
    else console.warn(NO_BROWSER);
    return;
  }

  let browser: Browser;
  let newContext: () => Promise<OfflineContext>;
  beforeAll(async () => {
    ({ browser, newContext } = await launchOfflineBrowser(executablePath));
  }, 120_000);
  afterAll(() => browser?.close());

  /** Everything a page asked for and was answered, and what went wrong in it. */
  const watch = (p: Page) => {
    const seen = { requests: [] as string[], responses: [] as { url: string; status: number }[], sockets: [] as string[], errors: [] as string[] };
    p.on('request', (r) => void seen.requests.push(r.url()));
    p.on('response', (r) => void seen.responses.push({ url: r.url(), status: r.status() }));
    p.on('websocket', (ws) => void seen.sockets.push(ws.url()));
    p.on('console', (m) => void (m.type() === 'error' && seen.errors.push(m.text())));
    p.on('pageerror', (e) => void seen.errors.push(e.message));
    return seen;
  };

  /** What GraphiQL's result pane holds, parsed (its CodeMirror editor's value). */
  const result = async (p: Page, holds: string) => {
    const text = await p.waitForFunction(
      (needle) => {
        // In the page: its document (the tests are compiled without the DOM's types).
        const { document } = globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror?: { getValue(): string } } | null } };
        const editor = document.querySelector('.result-window .CodeMirror');
        const value = editor?.CodeMirror?.getValue() ?? '';
        return value.includes(needle) ? value : false;
      },
      holds,
      { timeout: 90_000 },
    );
    return JSON.parse((await text.jsonValue()) as string) as { data?: Record<string, unknown>; errors?: unknown[] };
  };

  it('opens /graphiql with the example tabs, runs ModelList and shows its result, loading only same-origin files, each 200', async () => {
    const tab = exampleTabs()[0]!;
    h.resetCalls();
    const expected = await h.gql(tab.query, JSON.parse(tab.variables!) as Record<string, unknown>);
    expect(expected.result.errors).toBeUndefined();
    const expectedCalls = h.actions();
    expect(expectedCalls.length).toBeGreaterThan(0);
    h.resetCalls();

    const { context, blocked } = await newContext();
    try {
      const p = await context.newPage();
      const seen = watch(p);
      await p.goto(`${origin}/graphiql`);
      await p.locator('.graphiql-execute-button').waitFor({ timeout: 90_000 });
      expect(await p.locator('.graphiql-tab-button').allTextContents()).toEqual(['ModelList', 'DeployModelVersion', 'ServiceStatus', 'ServiceChanged']);
      // Loading the IDE (and its schema introspection) costs no upstream call.
      expect(h.actions()).toEqual([]);

      await p.locator('.graphiql-execute-button').click();
      const shown = await result(p, '"data"');
      expect(shown.errors).toBeUndefined();
      expect(shown.data).toEqual(expected.result.data);
      expect(h.actions()).toEqual(expectedCalls);

      expect(blocked).toEqual([]);
      expect(seen.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
      expect(seen.responses.filter((r) => r.status !== 200)).toEqual([]);
      // The page, its six files, and GraphiQL's POSTs to /graphql (introspection, the operation).
      expect(seen.responses.filter((r) => !new URL(r.url).pathname.startsWith('/graphql')).map((r) => new URL(r.url).pathname.split('/').pop()).sort()).toEqual(
        ['graphiql', 'graphiql.min.css', 'graphiql.min.js', 'graphql-ws.min.js', 'react-dom.production.min.js', 'react.production.min.js', 'start.js'].sort(),
      );
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('runs a subscription from GraphiQL over a WebSocket to the same origin', async () => {
    const status = await h.gql(`{ service(name: "qwen25_7b_chat") { name status } }`);
    expect(status.result.errors).toBeUndefined();
    const { context, blocked } = await newContext();
    try {
      const p = await context.newPage();
      const seen = watch(p);
      await p.goto(`${origin}/graphiql`);
      await p.locator('.graphiql-execute-button').waitFor({ timeout: 90_000 });
      await p.locator('.graphiql-tab-add').click();
      await p.locator('.graphiql-query-editor .CodeMirror').click();
      await p.keyboard.press('Control+A');
      await p.keyboard.press('Delete');
      await p.keyboard.insertText('subscription WatchService { serviceChanged(name: "qwen25_7b_chat") { name status } }');
      // GraphiQL parses the editor a moment after each edit; the tab takes the operation's name then.
      await p.locator('.graphiql-tab-button', { hasText: 'WatchService' }).waitFor({ timeout: 90_000 });
      h.resetCalls();
      await p.locator('.graphiql-execute-button').click();
      const shown = await result(p, 'serviceChanged');
      expect(shown).toEqual({ data: { serviceChanged: status.result.data!.service } });
      expect(seen.sockets).toEqual([`${origin.replace('http', 'ws')}/graphql`]);
      // The subscription's first event is one read of the service (more only as polls come due).
      expect(h.actions().length).toBeGreaterThanOrEqual(1);
      expect(new Set(h.actions())).toEqual(new Set(['DescribeService']));
      expect(blocked).toEqual([]);
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('authenticates with the Authorization header of the Headers tab, over HTTP and over the WebSocket', async () => {
    const token = 'graphiql-ide-token-0123456789';
    const guarded = await startHarness({ callers: { tokens: parseGatewayTokens(`ide:${token}:read`), allowAnonymous: false } });
    const at = new URL(guarded.url).origin;
    const tab = exampleTabs()[0]!;
    const { context, blocked } = await newContext();
    try {
      const expected = await guarded.gql(tab.query, JSON.parse(tab.variables!) as Record<string, unknown>, { authorization: `Bearer ${token}` });
      expect(expected.result.errors).toBeUndefined();
      const expectedCalls = guarded.actions();
      guarded.resetCalls();
      const p = await context.newPage();
      await p.goto(`${at}/graphiql`);
      await p.locator('.graphiql-execute-button').waitFor({ timeout: 90_000 });
      await p.locator('.graphiql-execute-button').click();
      expect((await result(p, 'UNAUTHENTICATED')).errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
      expect(guarded.actions()).toEqual([]);

      await p.getByRole('button', { name: 'Headers' }).click();
      await p.locator('.graphiql-editor-tool .CodeMirror:visible').click();
      await p.keyboard.insertText(`{"Authorization": "Bearer ${token}"}`);
      await p.locator('.graphiql-execute-button').click();
      expect((await result(p, '"data"')).data).toEqual(expected.result.data);
      expect(guarded.actions()).toEqual(expectedCalls);

      // The same tab (its headers) with a subscription: the token goes in connectionParams.
      await p.locator('.graphiql-query-editor .CodeMirror').click();
      await p.keyboard.press('Control+A');
      await p.keyboard.press('Delete');
      await p.keyboard.insertText('subscription WatchService { serviceChanged(name: "qwen25_7b_chat") { name status } }');
      await p.locator('.graphiql-tab-button', { hasText: 'WatchService' }).waitFor({ timeout: 90_000 });
      await p.locator('.graphiql-execute-button').click();
      expect((await result(p, 'serviceChanged')).data).toEqual({ serviceChanged: { name: 'qwen25_7b_chat', status: expect.any(String) } });
      expect(blocked).toEqual([]);
    } finally {
      await context.close();
      await guarded.close();
    }
  }, 180_000);

  it('leads a person from the offline Sandbox landing page to GraphiQL by its link', async () => {
    const { context, blocked } = await newContext();
    try {
      const p = await context.newPage();
      await p.goto(`${origin}/`);
      expect(p.url()).toBe(`${origin}/graphql`);
      await p.getByRole('link', { name: 'Open GraphiQL' }).click({ timeout: 90_000 });
      await p.waitForURL(`${origin}/graphiql`, { timeout: 90_000 });
      await p.locator('.graphiql-execute-button').waitFor({ timeout: 90_000 });
      // Sandbox itself comes from Apollo's CDN, which this browser cannot reach.
      expect(blocked.some((url) => url.includes('embeddable-sandbox'))).toBe(true);
    } finally {
      await context.close();
    }
  }, 180_000);
});
