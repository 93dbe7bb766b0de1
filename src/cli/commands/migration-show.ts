import { DataSource } from 'typeorm';

import { withCliDatabase } from '../cli-database';
import { CliCommand, CliUsageError, parseCommandArgs } from '../cli-command';

const MIGRATIONS_TABLE = 'typeorm_migrations';

/** Names of the applied migrations, oldest first; empty when no migration ever ran. */
export async function executedMigrationNames(dataSource: DataSource): Promise<string[]> {
  const [{ present }] = await dataSource.query<{ present: boolean }[]>('SELECT to_regclass($1) IS NOT NULL AS present', [MIGRATIONS_TABLE]);
  if (!present) return [];
  const rows = await dataSource.query<{ name: string }[]>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY timestamp, id`);
  return rows.map((row) => row.name);
}

/** Names of the migrations this build contains but the database has not applied. */
export async function pendingMigrationNames(dataSource: DataSource): Promise<string[]> {
  const executed = new Set(await executedMigrationNames(dataSource));
  return dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !executed.has(name));
}

export const migrationShowCommand: CliCommand = {
  name: 'migration:show',
  summary: 'List migrations, marking the applied ones',
  help: `Usage: migration:show

Prints each migration this build contains as "[X] Name" when applied or "[ ] Name" when
pending, followed by applied migrations this build does not contain, if any.

Options:
  -h, --help  show this help`,

  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, {}, true);
    if (values.help) {
      output.out(this.help);
      return 0;
    }
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);

    return withCliDatabase(async ({ dataSource }) => {
      const executed = await executedMigrationNames(dataSource);
      const known = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
      for (const name of known) output.out(`${executed.includes(name) ? '[X]' : '[ ]'} ${name}`);
      for (const name of executed.filter((name) => !known.includes(name))) output.out(`[X] ${name} (not in this build)`);
      return 0;
    });
  },
};
