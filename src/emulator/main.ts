import { ConfigError, loadConfig } from '../core/config.js';
import { createEmulator } from './index.js';

/** `npm run emulator`: the PAI emulator alone, for pointing a gateway at with PAI_ENDPOINT. */
async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { emulator: opts } = config;
  const emulator = createEmulator({ apiKey: opts.apiKey, accessKeys: opts.accessKey ? [opts.accessKey] : undefined, demoData: opts.demoData });
  const url = await emulator.listen(opts.port ?? 4010, opts.host);
  const accepts = [
    opts.accessKey ? 'V3 signatures made with $EMULATOR_ACCESS_KEY_ID/$EMULATOR_ACCESS_KEY_SECRET' : undefined,
    opts.apiKey ? 'Authorization: Bearer $EMULATOR_API_KEY' : undefined,
  ].filter(Boolean);
  process.stdout.write(
    `PAI emulator listening at ${url} (${emulator.store.models.size} models; ` +
      `${accepts.length ? `requires ${accepts.join(' or ')}` : 'accepts any caller: set EMULATOR_ACCESS_KEY_ID/EMULATOR_ACCESS_KEY_SECRET or EMULATOR_API_KEY to require credentials'}).\n` +
      `Point the gateway at it: PAI_ENDPOINT=${url} ALIBABA_CLOUD_ACCESS_KEY_ID=<id> ALIBABA_CLOUD_ACCESS_KEY_SECRET=<secret> npm start (or DASHSCOPE_API_KEY=<key>)\n` +
      `Control API: ${url}/__emulator/calls, /__emulator/faults, /__emulator/reset\n`,
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
