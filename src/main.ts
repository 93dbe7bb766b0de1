import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { setupApp } from './app.setup';
import { APP_CONFIG, AppConfig, ConfigValidationError, loadAppConfig } from './config/app.config';
import { EmbeddedDatabaseLockedError } from './database/embedded-database';

async function bootstrap(): Promise<void> {
  // Validate first, so a bad environment fails before anything opens the database.
  loadAppConfig();

  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false, abortOnError: false });
  setupApp(app);
  const config = app.get<AppConfig>(APP_CONFIG);
  forceExitAfterGrace(config.shutdownGraceSeconds);
  await app.listen(config.port, config.host);

  const logger = app.get(Logger);
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = `http://${shownHost}:${config.port}`;
  logger.log(`Deskbridge is listening on ${base}`, 'Bootstrap');
  logger.log(`Swagger UI: ${base}/api/docs/  OpenAPI document: ${base}/api/schema/`, 'Bootstrap');
  logger.log(
    `Database: ${config.databaseUrl ? 'PostgreSQL from DATABASE_URL' : `embedded PGlite in ${config.dataDir}`}`,
    'Bootstrap',
  );
  logger.log(
    'Create a staff user with: npm run cli -- createstaffuser --username admin --password <password> --email admin@example.com',
    'Bootstrap',
  );
}

/**
 * Nest's shutdown hooks stop accepting connections and close the app on SIGTERM; this timer
 * ends the process if in-flight work has not finished within the grace period.
 */
function forceExitAfterGrace(graceSeconds: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`Shutdown took longer than ${graceSeconds} s; exiting.\n`);
        process.exit(1);
      }, graceSeconds * 1000).unref();
    });
  }
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigValidationError || error instanceof EmbeddedDatabaseLockedError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Deskbridge failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
