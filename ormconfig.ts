import { DataSource } from 'typeorm';

import { loadAppConfig } from './src/config/app.config';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { openDatabaseHandleForCli } from './src/database/database-handle';

/**
 * Data source for the TypeORM CLI (`npm run migration:generate`). It uses the same options
 * as the app: `DATABASE_URL` when set, else the embedded database in `DATA_DIR`, reached
 * through the running server's socket when a server holds it.
 */
async function createCliDataSource(): Promise<DataSource> {
  const handle = await openDatabaseHandleForCli(loadAppConfig());
  return new DataSource(buildDataSourceOptions(handle.target));
}

export default createCliDataSource();
