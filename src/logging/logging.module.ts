import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { APP_CONFIG, AppConfig } from '../config/app.config';

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** Paths of every header or body field that may carry a secret; pino writes `[Redacted]`. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature"]',
  'req.headers["x-smax-webhook-secret"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.new_password',
];

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (request: IncomingMessage, response: ServerResponse) => {
            const incoming = request.headers['x-request-id'];
            const id = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
            response.setHeader('X-Request-Id', id);
            return id;
          },
          redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
          autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.includes(request.url ?? '') },
          customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
            error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
