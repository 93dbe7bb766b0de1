import { runMigrationsLocked } from '../../database/migration-runner';
import { withCliDatabase } from '../cli-database';
import { CliCommand, CliUsageError, parseCommandArgs } from '../cli-command';

export const migrationRunCommand: CliCommand = {
  name: 'migration:run',
  summary: 'Apply pending migrations',
  help: `Usage: migration:run

Applies every pending migration, each in its own transaction, under the advisory lock
the server takes at start, and prints the names applied.

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
      const applied = await runMigrationsLocked(dataSource);
      output.out(applied.length === 0 ? 'No pending migrations.' : `Applied: ${applied.map((migration) => migration.name).join(', ')}`);
      return 0;
    });
  },
};
