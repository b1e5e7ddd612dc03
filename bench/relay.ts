/**
 * The bench's floor for added latency: a bare Node HTTP relay between the client and the
 * emulator, with no GraphQL at all. For each POST it makes the operation's upstream calls with
 * the direct client of bench/http.ts (the same requests in the same waves, V3-signed with the
 * gateway's own signer, each answer parsed as JSON) and then answers with the gateway's own
 * response body, from memory. What it adds over calling the emulator directly is what one more
 * Node process in the path costs on this machine (two more socket hops, wake-ups, parsing);
 * the gateway's added latency minus the relay's is the gateway's own share.
 *
 * Started by bench/run.ts (child_process.fork, under tsx like the bench itself: only its
 * latency is read, never its CPU, and tsx costs only while modules load). IPC:
 * parent -> { type: 'plan', operationName, waves, body }, answered { type: 'stored', operationName };
 * child -> { type: 'listening', port } once it accepts connections.
 * The access key comes from BENCH_ACCESS_KEY_ID / BENCH_ACCESS_KEY_SECRET (the bench's own key).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDirectClient, createHttpClient, type RecordedCall } from './http.js';

const direct = createDirectClient(createHttpClient(), process.env.BENCH_UPSTREAM ?? '', { id: process.env.BENCH_ACCESS_KEY_ID ?? '', secret: process.env.BENCH_ACCESS_KEY_SECRET ?? '' });

interface Plan {
  readonly waves: readonly (readonly RecordedCall[])[];
  readonly body: string;
}
/** operation name -> the upstream calls to make and the answer to send */
const plans = new Map<string, Plan>();

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      try {
        const { operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName: string };
        const plan = plans.get(operationName);
        if (!plan) throw new Error(`relay: no plan for ${operationName}`);
        await direct.run(plan.waves);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(plan.body);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    })();
  });
});

process.on('message', (message: { type?: string; operationName?: string } & Partial<Plan>) => {
  if (message.type === 'plan' && message.operationName && message.waves && message.body !== undefined) {
    plans.set(message.operationName, { waves: message.waves, body: message.body });
    process.send?.({ type: 'stored', operationName: message.operationName });
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port }));
