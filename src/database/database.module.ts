import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';

import { APP_CONFIG, AppConfig } from '../config/app.config';
import { buildDataSourceOptions } from './data-source-options';
import { DATABASE_HANDLE, DatabaseHandle, openDatabaseHandle } from './database-handle';
import { runMigrationsLocked } from './migration-runner';

const RUN_MIGRATIONS = Symbol('runMigrations');

type OptionsWithMigrationFlag = DataSourceOptions & { [RUN_MIGRATIONS]?: boolean };

@Global()
@Module({
  providers: [
    { provide: DATABASE_HANDLE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDatabaseHandle(config) },
  ],
  exports: [DATABASE_HANDLE],
})
class DatabaseHandleModule {}

/** Closes the embedded database once TypeORM's pool is gone. */
class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.handle.embedded) return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.handle.embedded.close();
    this.logger.log('Embedded database closed');
  }
}

@Global()
@Module({
  imports: [
    DatabaseHandleModule,
    TypeOrmModule.forRootAsync({
      inject: [DATABASE_HANDLE, APP_CONFIG],
      useFactory: (handle: DatabaseHandle, config: AppConfig): TypeOrmModuleOptions => {
        const options: TypeOrmModuleOptions = {
          ...buildDataSourceOptions(handle.target),
          retryAttempts: handle.target.embedded ? 0 : 5,
          retryDelay: 2000,
        };
        (options as OptionsWithMigrationFlag)[RUN_MIGRATIONS] = config.migrationsRun;
        return options;
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options as DataSourceOptions).initialize();
        if ((options as OptionsWithMigrationFlag)[RUN_MIGRATIONS]) await runMigrationsLocked(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: [EmbeddedDatabaseCloser],
  exports: [DatabaseHandleModule],
})
export class DatabaseModule {}
