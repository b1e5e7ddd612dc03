import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { ExampleTab } from './sandbox.js';

/**
 * GraphiQL served by the gateway itself, for when Apollo Sandbox (loaded from Apollo's CDN)
 * cannot be: every file the page loads comes from this origin. They are the prebuilt browser
 * bundles the packages publish (graphiql's UMD build, React 18's UMD builds, graphql-ws's UMD
 * client), read from node_modules, so there is no build step and nothing is fetched at run time.
 */

/** Where the IDE is served; its files are under `${GRAPHIQL_PATH}/assets/`. */
export const GRAPHIQL_PATH = '/graphiql';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The packaged files the page loads, in order, and the package each comes from. */
const PACKAGED = [
  { name: 'react.production.min.js', pkg: 'react', file: 'umd/react.production.min.js', type: JS },
  { name: 'react-dom.production.min.js', pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: JS },
  { name: 'graphql-ws.min.js', pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js', type: JS },
  { name: 'graphiql.min.js', pkg: 'graphiql', file: 'graphiql.min.js', type: JS },
  { name: 'graphiql.min.css', pkg: 'graphiql', file: 'graphiql.min.css', type: CSS },
] as const;

/**
 * The page's own script, a file rather than inline so the page's CSP can forbid inline scripts.
 * It reads its settings from the page's JSON block, renders GraphiQL with the example tabs, and
 * sends what the headers editor holds with every request: `Authorization` there authenticates
 * HTTP operations, and becomes the WebSocket's `connectionParams.authorization` for
 * subscriptions (taken when the socket opens).
 */
const START_SCRIPT = `(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('graphiql-settings').textContent);
  var endpoint = new URL(settings.endpoint, window.location.href);
  var socketEndpoint = new URL(endpoint.href);
  socketEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var authorization;
  var wsClient = window.graphqlWs.createClient({
    url: socketEndpoint.href,
    lazy: true,
    connectionParams: function () {
      return authorization ? { authorization: authorization } : {};
    },
  });
  var send = window.GraphiQL.createFetcher({ url: endpoint.href, wsClient: wsClient });
  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    authorization = undefined;
    Object.keys(headers).forEach(function (name) {
      if (name.toLowerCase() === 'authorization') authorization = String(headers[name]);
    });
    return send(params, options);
  }
  window.ReactDOM.createRoot(document.getElementById('graphiql')).render(
    window.React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultTabs: settings.tabs,
      // GraphiQL 4 fills the first tab's editor from defaultTabs but its variables only from
      // these props; with them it also reopens the example, not a copy, on the next visit.
      query: settings.tabs[0].query,
      variables: settings.tabs[0].variables,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    }),
  );
})();
`;

/**
 * What the page may load: scripts and styles from this origin only (no inline script; GraphiQL's
 * components insert style elements), its own fonts and icons inlined as data: URLs, requests to
 * this origin (HTTP and WebSocket).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzipped: Buffer;
}

interface Site {
  readonly html: string;
  /** By `${hash}/${name}`: a file's URL changes with its content, so it may be cached for good. */
  readonly assets: ReadonlyMap<string, Asset>;
}

const hashOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 16);

/** Embeds JSON in a script element: `<` escaped, so no string in it can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

async function buildSite(options: { endpoint: string; tabs: readonly ExampleTab[] }): Promise<Site> {
  const require = createRequire(import.meta.url);
  const files = [
    ...(await Promise.all(PACKAGED.map(async (f) => ({ name: f.name, type: f.type, body: await readFile(join(dirname(require.resolve(`${f.pkg}/package.json`)), f.file)) })))),
    { name: 'start.js', type: JS, body: Buffer.from(START_SCRIPT) },
  ];
  const assets = new Map<string, Asset>();
  const urls: Record<string, string> = {};
  for (const file of files) {
    const key = `${hashOf(file.body)}/${file.name}`;
    assets.set(key, { type: file.type, body: file.body, gzipped: await promisify(gzip)(file.body) });
    urls[file.name] = `${GRAPHIQL_PATH}/assets/${key}`;
  }
  const scripts = files.filter((f) => f.type === JS).map((f) => `    <script src="${urls[f.name]}" defer></script>`);
  const html = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>GraphiQL - pai-graph</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${urls['graphiql.min.css']}" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
    <script type="application/json" id="graphiql-settings">${scriptJson({ endpoint: options.endpoint, tabs: options.tabs })}</script>
${scripts.join('\n')}
  </head>
  <body>
    <div id="graphiql"><noscript>GraphiQL needs JavaScript.</noscript></div>
  </body>
</html>
`;
  return { html, assets };
}

/** Whether Accept-Encoding allows gzip (named or `*`, with a q above 0). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';').map((p) => p.trim().toLowerCase());
    return (coding === 'gzip' || coding === '*') && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/**
 * Serves GraphiQL at GRAPHIQL_PATH: the page (never cached, so it always names the current
 * files) and its files (cached for a year: their URLs carry a hash of their content), gzipped
 * for clients that accept it. The files are read on the first request, not at startup.
 */
export function installGraphiql(app: FastifyInstance, options: { endpoint: string; tabs: readonly ExampleTab[] }): void {
  let site: Promise<Site> | undefined;
  const load = () => {
    site ??= buildSite(options).catch((err: unknown) => {
      site = undefined;
      throw err;
    });
    return site;
  };

  app.get(GRAPHIQL_PATH, async (_request, reply) => {
    const { html } = await load();
    return reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8').send(html);
  });

  app.get<{ Params: { hash: string; name: string } }>(`${GRAPHIQL_PATH}/assets/:hash/:name`, async (request, reply) => {
    const asset = (await load()).assets.get(`${request.params.hash}/${request.params.name}`);
    if (!asset) {
      reply.callNotFound();
      return reply;
    }
    const gzipped = acceptsGzip(request.headers['accept-encoding']);
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding').type(asset.type);
    if (gzipped) reply.header('content-encoding', 'gzip');
    return reply.send(gzipped ? asset.gzipped : asset.body);
  });
}
