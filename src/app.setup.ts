import { IncomingMessage } from 'node:http';

import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';

import { APP_CONFIG, AppConfig } from './config/app.config';
import { DrfExceptionFilter } from './common/errors/drf-exception.filter';
import { DrfValidationPipe } from './common/validation/drf-validation.pipe';
import { captureRawBody } from './support/sync/inbox/raw-body';

/** Applies everything `main.ts` and the e2e tests share: proxies, headers, errors, docs. */
export function setupApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const express = app as NestExpressApplication;

  express.useLogger(app.get(Logger));
  express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  express.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  express.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept-Language', 'X-Impersonated-User-Uuid', 'X-Request-Id', 'Idempotency-Key', 'If-Match'],
    exposedHeaders: ['X-Result-Count', 'Link', 'X-Request-Id', 'ETag', 'Retry-After'],
  });
  // Webhook signatures are checked over the exact bytes received, so the parsers keep them.
  // Not strict, so a top-level `null`, number or string parses and the validation pipe
  // rejects it with DRF's message ("Expected a dictionary, but got ...").
  express.useBodyParser('json', { limit: '10mb', strict: false, type: parsedUnlessWebhook('application/json'), verify: captureRawBody });
  express.useBodyParser('urlencoded', {
    limit: '10mb',
    extended: true,
    type: parsedUnlessWebhook('application/x-www-form-urlencoded'),
    verify: captureRawBody,
  });

  app.useGlobalFilters(new DrfExceptionFilter());
  app.useGlobalPipes(new DrfValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Deskbridge')
      .setDescription('Waldur-compatible support (helpdesk) API over Jira Service Management, Zammad, SMAX or the built-in desk.')
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key>' }, 'tokenAuth')
      .addSecurityRequirements('tokenAuth')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/schema', useGlobalPrefix: false });
}

/** Webhook receivers read and store the raw body themselves, so a body that does not parse is still stored. */
const WEBHOOK_PATH = /^\/api\/support-[a-z]+-webhook\/?$/;

/** Returns a body-parser `type` test: the given media type, on any path but a webhook receiver's. */
function parsedUnlessWebhook(mediaType: string): (request: IncomingMessage) => boolean {
  return (request) => {
    const path = (request.url ?? '').split('?')[0];
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    return contentType === mediaType && !WEBHOOK_PATH.test(path);
  };
}
