/**
 * The bench's floor for added latency: a bare Node HTTP relay between the client and the
 * emulator, with no GraphQL at all. For each POST it makes the operation's upstream calls (the
 * same requests the direct client makes, in the same waves, V3-signed with the gateway's own
 * signer, each answer parsed as JSON) and then answers with the gateway's own response body,
 * from memory. What it adds over calling the emulator directly is what one more Node process
 * in the path costs on this machine (two more socket hops, wake-ups, parsing); the gateway's
 * added latency minus the relay's is the gateway's own share.
 *
 * Started by bench/run.ts (child_process.fork, plain `node`). IPC:
 * parent -> { type: 'plan', operationName, waves, body }, answered { type: 'stored', operationName };
 * child -> { type: 'listening', port } once it accepts connections.
 * The access key comes from BENCH_ACCESS_KEY_ID / BENCH_ACCESS_KEY_SECRET (the bench's own key).
 */
import http from 'node:http';
import { Secret } from '../dist/core/secret.js';
import { staticCredentials } from '../dist/core/upstream/credentials.js';
import { createAccessKeySigner } from '../dist/core/upstream/signer.js';

const origin = process.env.BENCH_UPSTREAM ?? '';
const signer = createAccessKeySigner({
  credentials: staticCredentials({ accessKeyId: process.env.BENCH_ACCESS_KEY_ID ?? '', accessKeySecret: new Secret(process.env.BENCH_ACCESS_KEY_SECRET ?? '') }),
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** operation name -> { waves of recorded calls, the answer body } */
const plans = new Map();

function send(url, init) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method, headers: init.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

async function call(recorded) {
  const headers = new Headers({ accept: 'application/json', 'x-acs-action': recorded.action, 'x-acs-version': recorded.version ?? '' });
  const contentType = recorded.headers['content-type'];
  if (contentType) headers.set('content-type', contentType);
  const request = {
    method: recorded.method,
    url: new URL(`${origin}${recorded.path}${recorded.query ? `?${recorded.query}` : ''}`),
    headers,
    body: recorded.body === '' ? undefined : recorded.body,
    action: recorded.action,
    version: recorded.version ?? '',
  };
  await signer.sign(request);
  const res = await send(request.url, { method: request.method, headers: Object.fromEntries(headers), body: request.body });
  if (res.status !== 200) throw new Error(`relay: ${recorded.action} answered ${res.status}`);
  JSON.parse(res.body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      try {
        const { operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const plan = plans.get(operationName);
        if (!plan) throw new Error(`relay: no plan for ${operationName}`);
        for (const wave of plan.waves) await Promise.all(wave.map(call));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(plan.body);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    })();
  });
});

process.on('message', (message) => {
  if (message?.type === 'plan') {
    plans.set(message.operationName, { waves: message.waves, body: message.body });
    process.send?.({ type: 'stored', operationName: message.operationName });
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send?.({ type: 'listening', port: server.address().port }));
