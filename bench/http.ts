/**
 * The bench's own HTTP client (node:http over keep-alive sockets), used for every request it
 * times itself: GraphQL operations at concurrency 1 and the same upstream calls made directly,
 * so both sides of "added latency" pay the same client costs.
 */
import http from 'node:http';
import { Secret } from '../src/core/secret.js';
import { staticCredentials } from '../src/core/upstream/credentials.js';
import { createAccessKeySigner, type OutgoingRequest } from '../src/core/upstream/signer.js';
import type { HttpMethod } from '../src/core/upstream/operation.js';
import type { AccessKeyPair } from './processes.js';

export interface Response {
  readonly status: number;
  readonly body: string;
}

export function createHttpClient(maxSockets = 256) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const send = (url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: string | undefined } = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body);
    });
  return { send, close: () => agent.destroy() };
}
export type HttpClient = ReturnType<typeof createHttpClient>;

/** One upstream request as the emulator recorded it (GET /__emulator/calls). */
export interface RecordedCall {
  readonly action: string;
  readonly version: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What a hand-written client would do instead of the gateway: the same upstream requests,
 * signed afresh (V3, with the gateway's own signer, so signing costs the same on both sides),
 * in waves: every request of a wave at once, the next wave when all have answered (e.g.
 * ListModels, then the 20 ListModelVersions together). Each answer is parsed as JSON, as a
 * client must. Ids come from the recorded requests instead of from the previous wave's
 * answers, which changes no request.
 */
export function createDirectClient(client: HttpClient, origin: string, key: AccessKeyPair) {
  const signer = createAccessKeySigner({ credentials: staticCredentials({ accessKeyId: key.id, accessKeySecret: new Secret(key.secret) }) });
  async function call(recorded: RecordedCall): Promise<void> {
    const headers = new Headers({ accept: 'application/json', 'x-acs-action': recorded.action, 'x-acs-version': recorded.version ?? '' });
    const contentType = recorded.headers['content-type'];
    if (contentType) headers.set('content-type', contentType);
    const request: OutgoingRequest = {
      method: recorded.method as HttpMethod,
      url: new URL(`${origin}${recorded.path}${recorded.query ? `?${recorded.query}` : ''}`),
      headers,
      body: recorded.body === '' ? undefined : recorded.body,
      action: recorded.action,
      version: recorded.version ?? '',
    };
    await signer.sign(request);
    const res = await client.send(request.url, { method: request.method, headers: Object.fromEntries(headers), body: request.body });
    if (res.status !== 200) throw new Error(`direct ${recorded.action} answered ${res.status}: ${res.body.slice(0, 200)}`);
    JSON.parse(res.body);
  }
  return {
    async run(waves: readonly (readonly RecordedCall[])[]): Promise<void> {
      for (const wave of waves) await Promise.all(wave.map(call));
    },
  };
}
