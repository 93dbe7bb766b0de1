import { AppConfig } from '../config/app.config';
import { DataSourceTarget } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database';

/** Where the app's database lives, and the embedded instance it owns, if any. */
export interface DatabaseHandle {
  target: DataSourceTarget;
  embedded?: EmbeddedDatabase;
}

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

/** Opens `DATABASE_URL`, or starts the embedded database in `DATA_DIR` and owns it. */
export async function openDatabaseHandle(config: AppConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { target: { url: config.databaseUrl, embedded: false } };
  const embedded = await EmbeddedDatabase.open(config.dataDir);
  return { target: { url: embedded.url, embedded: true }, embedded };
}

/**
 * Like `openDatabaseHandle`, but for a CLI command: when a running server holds the
 * embedded database, the command connects through that server's socket instead.
 */
export async function openDatabaseHandleForCli(config: AppConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { target: { url: config.databaseUrl, embedded: false } };
  const runningUrl = EmbeddedDatabase.runningInstanceUrl(config.dataDir);
  if (runningUrl) return { target: { url: runningUrl, embedded: true } };
  return openDatabaseHandle(config);
}
