import { parseArgs } from 'node:util';

import { startFakeZammad } from './server';

/**
 * Runs the fake Zammad by hand: `npm run fake:zammad -- --port 8082 --host 127.0.0.1`.
 * Prints the base URL and the access tokens, and stops on Ctrl+C.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8082' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port ${values.port}: give a number from 0 to 65535`);
  }
  const fake = await startFakeZammad({ port, host: values.host, seed: values.seed });
  console.log(`Fake Zammad listening on ${fake.url}`);
  console.log(`API base: ${fake.url}/api/v1  control API: ${fake.url}/__fake/`);
  console.log(`Tokens: integration "${fake.tokens.integration}", agent "${fake.tokens.agent}", customer "${fake.tokens.customer}"`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
