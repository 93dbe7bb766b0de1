import { DataSourceOptions } from 'typeorm';

import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { TypeOrmLogger } from './typeorm-logger';

export interface DataSourceTarget {
  url: string;
  /** True for the embedded PGlite socket, which serializes transactions. */
  embedded: boolean;
}

/** The one definition of the TypeORM options, shared by the app, the CLI and `ormconfig.ts`. */
export function buildDataSourceOptions(target: DataSourceTarget): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { application_name: 'deskbridge' },
    // A query waiting on another pooled connection inside an embedded transaction would hang
    // forever; the timeout turns that programming error into a visible failure.
    connectTimeoutMS: target.embedded ? 10_000 : 5_000,
    poolSize: target.embedded ? 8 : 10,
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 2000,
  };
}
