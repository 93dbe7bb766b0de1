import { DataSource } from 'typeorm';

import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestDataSource {
  dataSource: DataSource;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * Creates a migrated database of its own with a TypeORM data source and no Nest app, for
 * specs of code that needs entities but no HTTP layer.
 */
export async function createTestDataSource(): Promise<TestDataSource> {
  const database = await createTestDatabase();
  const dataSource = new DataSource({ ...buildDataSourceOptions({ url: database.url, embedded: database.embedded }), logging: false });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    database,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
