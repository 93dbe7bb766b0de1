import { ConfigValidationError } from '../config/app.config';
import { EmbeddedDatabaseLockedError } from '../database/embedded-database';
import { CliCommand, CliOutput, CliUsageError } from './cli-command';
import { createStaffUserCommand } from './commands/createstaffuser';
import { drfCreateTokenCommand } from './commands/drf-create-token';
import { feedbackLinkCommand } from './commands/feedback-link';
import { migrationGenerateCommand } from './commands/migration-generate';
import { migrationRevertCommand } from './commands/migration-revert';
import { migrationRunCommand } from './commands/migration-run';
import { migrationShowCommand } from './commands/migration-show';

const COMMANDS: CliCommand[] = [
  createStaffUserCommand,
  drfCreateTokenCommand,
  migrationRunCommand,
  migrationRevertCommand,
  migrationShowCommand,
  migrationGenerateCommand,
  {
    name: 'feedback-link',
    summary: 'print the feedback link of a resolved issue',
    help: 'Usage: npm run cli -- feedback-link <issue-uuid>',
    run: (args) => feedbackLinkCommand(args),
  },
];

const output: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run "<command> --help" for its options. The database is DATABASE_URL, or the embedded',
    'one in DATA_DIR (reached through the running server when one holds it).',
  ].join('\n');
}

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? output.err : output.out)(usage());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    output.err(`Unknown command "${name}".\n\n${usage()}`);
    return 1;
  }

  try {
    return await command.run(rest, output);
  } catch (error) {
    if (error instanceof CliUsageError) {
      output.err(`${command.name}: ${error.message}\nRun "${command.name} --help" for usage.`);
    } else if (error instanceof ConfigValidationError || error instanceof EmbeddedDatabaseLockedError) {
      output.err(`${command.name}: ${error.message}`);
    } else {
      output.err(`${command.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
