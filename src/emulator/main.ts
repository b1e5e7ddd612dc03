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
  const emulator = createEmulator({ apiKey: opts.apiKey, demoData: opts.demoData });
  const url = await emulator.listen(opts.port ?? 4010, opts.host);
  process.stdout.write(
    `PAI emulator listening at ${url} (${emulator.store.models.size} models; ` +
      `${opts.apiKey ? 'requires Authorization: Bearer $EMULATOR_API_KEY' : 'accepts any caller: set EMULATOR_API_KEY to require a key'}).\n` +
      `Point the gateway at it: PAI_ENDPOINT=${url} DASHSCOPE_API_KEY=<the same key> npm start\n` +
      `Control API: ${url}/__emulator/calls, /__emulator/faults, /__emulator/reset\n`,
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
