import { revertLastMigrationLocked } from '../../database/migration-runner';
import { withCliDatabase } from '../cli-database';
import { CliCommand, CliUsageError, parseCommandArgs } from '../cli-command';
import { executedMigrationNames } from './migration-show';

export const migrationRevertCommand: CliCommand = {
  name: 'migration:revert',
  summary: 'Revert the last applied migration',
  help: `Usage: migration:revert

Runs down() of the most recently applied migration and prints its name.

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
      if (executed.length === 0) {
        output.out('No applied migrations to revert.');
        return 0;
      }
      await revertLastMigrationLocked(dataSource);
      output.out(`Reverted: ${executed[executed.length - 1]}`);
      return 0;
    });
  },
};
