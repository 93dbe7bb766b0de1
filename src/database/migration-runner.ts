import { Logger } from '@nestjs/common';
import { DataSource, Migration } from 'typeorm';

import { withAdvisoryLock } from './advisory-lock';

const MIGRATION_LOCK = 'deskbridge:migrations';

/** Applies pending migrations; replicas starting together wait for each other on the lock. */
export async function runMigrationsLocked(dataSource: DataSource, logger = new Logger('Migrations')): Promise<Migration[]> {
  return withAdvisoryLock(dataSource, MIGRATION_LOCK, async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    }
    return applied;
  });
}

export async function revertLastMigrationLocked(dataSource: DataSource): Promise<void> {
  await withAdvisoryLock(dataSource, MIGRATION_LOCK, () => dataSource.undoLastMigration({ transaction: 'each' }));
}
