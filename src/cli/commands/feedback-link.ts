import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';

import { loadAppConfig } from '../../config/app.config';
import { ConfigModule } from '../../config/config.module';
import { buildDataSourceOptions } from '../../database/data-source-options';
import { DatabaseHandle, openDatabaseHandleForCli } from '../../database/database-handle';
import { SettingsModule } from '../../settings/settings.module';
import { FeedbackLinkError, FeedbackLinkService } from '../../support/feedback/feedback-link.service';
import { FeedbackNotRequestedError, FeedbackTokenService } from '../../support/feedback/feedback-token.service';
import { migrateIfEnabled, withCliDatabase } from '../cli-database';

const USAGE = 'Usage: feedback-link <issue-uuid>\nPrints the HomePort feedback link of a resolved issue.\n';

/** Output streams and the application context; tests pass their own. */
export interface FeedbackLinkCommandOptions {
  stdout?: Pick<NodeJS.WritableStream, 'write'>;
  stderr?: Pick<NodeJS.WritableStream, 'write'>;
  /** Opens what the command needs; the command closes it again. */
  openContext?: () => Promise<CommandContext>;
}

export interface CommandContext {
  get: INestApplicationContext['get'];
  close(): Promise<void>;
}

/**
 * Runs `feedback-link <issue-uuid>`: prints `<HOMEPORT_URL>support/feedback/?token=<token>`
 * for an issue that has a feedback request. Returns the exit code: 0 on success, 1 when
 * the issue is unknown or has no feedback request, 2 for wrong arguments.
 */
export async function feedbackLinkCommand(args: string[], options: FeedbackLinkCommandOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;

  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    stdout.write(USAGE);
    return 0;
  }
  if (args.length !== 1) {
    stderr.write(USAGE);
    return 2;
  }

  const context = await (options.openContext ?? openFeedbackLinkContext)();
  try {
    const link = await context.get(FeedbackLinkService).linkForIssue(args[0]);
    stdout.write(`${link}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FeedbackLinkError || error instanceof FeedbackNotRequestedError)) throw error;
    stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await context.close();
  }
}

@Module({})
class FeedbackLinkCliModule {
  static register(handle: DatabaseHandle): DynamicModule {
    return {
      module: FeedbackLinkCliModule,
      imports: [
        ConfigModule,
        EventEmitterModule.forRoot(),
        SettingsModule,
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(handle.target), retryAttempts: 0 }),
      ],
      providers: [FeedbackTokenService, FeedbackLinkService],
    };
  }
}

/**
 * Opens the database the way CLI commands do (through a running server's socket when that
 * server has the embedded database open) with only the providers this command needs: no HTTP
 * server and no scheduled jobs. Pending migrations are applied first when MIGRATIONS_RUN is on.
 */
async function openFeedbackLinkContext(): Promise<CommandContext> {
  // As the other commands do, so a database the server never opened gets its tables first.
  await withCliDatabase(migrateIfEnabled);
  const handle = await openDatabaseHandleForCli(loadAppConfig());
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(FeedbackLinkCliModule.register(handle), { logger: ['error', 'warn'] });
  } catch (error) {
    await handle.embedded?.close();
    throw error;
  }
  return {
    get: app.get.bind(app),
    close: async () => {
      await app.close();
      await handle.embedded?.close();
    },
  };
}
