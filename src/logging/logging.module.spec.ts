import { Writable } from 'node:stream';

import pino from 'pino';

import { REDACTED_PATHS } from './logging.module';

/** Logs one line through a pino logger with our redaction and returns what it wrote. */
function logLine(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } }, sink);
  logger.info(fields, 'request completed');
  return JSON.parse(lines[0]);
}

describe('log redaction', () => {
  it.each(['authorization', 'cookie', 'x-hub-signature', 'x-smax-webhook-secret'])('hides the %s header', (name) => {
    const line = logLine({ req: { headers: { [name]: 'secret-value', accept: 'application/json' } } });
    const headers = (line.req as { headers: Record<string, string> }).headers;

    expect(headers[name]).toBe('[Redacted]');
    expect(headers.accept).toBe('application/json');
  });

  it('hides password and token fields', () => {
    const line = logLine({ body: { password: 'p', token: 't', new_password: 'n', summary: 'kept' } });
    const body = line.body as Record<string, string>;

    expect(body).toEqual({ password: '[Redacted]', token: '[Redacted]', new_password: '[Redacted]', summary: 'kept' });
  });
});
