import { parseArgs } from 'node:util';

import { startFakeSmax } from './fake-smax';
import { AGENT_USER, INTEGRATION_USER } from './seed';

/** Runs the fake SMAX by hand: `npm run fake:smax -- --port 8083 [--host 127.0.0.1]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8083' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string', default: '100000000' },
      'cookie-name': { type: 'string', default: 'LWSSO_COOKIE_KEY' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'Usage: npm run fake:smax -- [--port 8083] [--host 127.0.0.1] [--tenant 100000000] [--cookie-name LWSSO_COOKIE_KEY]',
        '  --port         TCP port to listen on (0 picks a free one)',
        '  --host         loopback address to bind',
        '  --tenant       tenant id used in /rest/<tenant> and ?TENANTID=',
        '  --cookie-name  cookie that carries the session token (SMAX_AUTH_TOKEN on newer servers)',
        '',
      ].join('\n'),
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port ${values.port}; expected an integer from 0 to 65535.`);
  }
  const fake = await startFakeSmax({ port, host: values.host, tenantId: values.tenant, cookieName: values['cookie-name'] });
  process.stdout.write(
    [
      `Fake SMAX listening on ${fake.url}`,
      `  REST API:    ${fake.restUrl}`,
      `  login:       POST ${fake.url}/auth/authentication-endpoint/authenticate/login?TENANTID=${fake.tenantId}`,
      `  accounts:    ${INTEGRATION_USER.login} / ${INTEGRATION_USER.password}, ${AGENT_USER.login} / ${AGENT_USER.password}`,
      `  control API: ${fake.url}/__fake/`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Fake SMAX failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
