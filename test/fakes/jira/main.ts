/**
 * Runs the fake Jira by hand: `npm run fake:jira -- --port 8081 [--host 127.0.0.1] [--flavour cloud|datacenter]`.
 * Prints the base URL and serves until interrupted.
 */
import { parseArgs } from 'node:util';

import { startFakeJira } from './server';
import type { Flavour } from './options';

const USAGE = 'Usage: fake-jira [--port 8081] [--host 127.0.0.1] [--flavour cloud|datacenter]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8081' },
      host: { type: 'string', default: '127.0.0.1' },
      flavour: { type: 'string', default: 'cloud' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port "${values.port}": expected an integer from 0 to 65535.\n${USAGE}`);
  }
  if (values.flavour !== 'cloud' && values.flavour !== 'datacenter') {
    throw new Error(`Invalid --flavour "${values.flavour}": expected cloud or datacenter.\n${USAGE}`);
  }
  const fake = await startFakeJira({ port, host: values.host, flavour: values.flavour as Flavour });
  process.stdout.write(`Fake Jira (${values.flavour}) listening on ${fake.url}\n`);
  process.stdout.write(`OAuth gateway: ${fake.gatewayUrl}\nControl API: ${fake.url}/__fake/\n`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
