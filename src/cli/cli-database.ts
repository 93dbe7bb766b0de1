import { resolve } from 'node:path';

import { Logger as NestLogger } from '@nestjs/common';
import { DataSource, Logger as TypeormLogger } from 'typeorm';

import { AppConfig, loadAppConfig } from '../config/app.config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { openDatabaseHandleForCli } from '../database/database-handle';
import { runMigrationsLocked } from '../database/migration-runner';

/**
 * Sends TypeORM's messages to stderr, so stdout carries only a command's result (a token,
 * a file name). Failed queries are reported without their parameters, which may hold hashes.
 */
class StderrTypeormLogger implements TypeormLogger {
  logQuery(): void {}

  logQueryError(error: string | Error): void {
    process.stderr.write(`query failed: ${error instanceof Error ? error.message : error}\n`);
  }

  logQuerySlow(): void {}

  logSchemaBuild(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  logMigration(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') process.stderr.write(`${String(message)}\n`);
  }
}

/** Sends Nest `Logger` output (used by the migration runner) to stderr as plain lines. */
class StderrNestLogger {
  log(message: unknown): void {
    process.stderr.write(`${String(message)}\n`);
  }

  error(message: unknown): void {
    process.stderr.write(`${String(message)}\n`);
  }

  warn(message: unknown): void {
    process.stderr.write(`${String(message)}\n`);
  }
}

export interface CliDatabase {
  dataSource: DataSource;
  config: AppConfig;
}

/**
 * Runs `work` with a connected data source: `DATABASE_URL`, or the embedded database in
 * `DATA_DIR`. A running server's socket is used when that server has the folder open;
 * otherwise the folder is opened here and closed afterwards.
 */
export async function withCliDatabase<T>(work: (database: CliDatabase) => Promise<T>): Promise<T> {
  NestLogger.overrideLogger(new StderrNestLogger());
  const config = loadAppConfig();
  const handle = await openDatabaseHandleForCli(config);
  const dataSource = new DataSource({ ...buildDataSourceOptions(handle.target), logger: new StderrTypeormLogger() });
  try {
    await dataSource.initialize();
    return await work({ dataSource, config });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await handle.embedded?.close();
  }
}

/** Applies pending migrations first when MIGRATIONS_RUN is on (the default), as the server does at start. */
export async function migrateIfEnabled({ dataSource, config }: CliDatabase): Promise<void> {
  if (config.migrationsRun) await runMigrationsLocked(dataSource);
}

/** Names the database a command used, so a "not found" can tell which one was searched. */
export function databaseDescription(config: AppConfig): string {
  return config.databaseUrl ? 'the PostgreSQL database of DATABASE_URL' : `the embedded database in ${resolve(config.dataDir)}`;
}
