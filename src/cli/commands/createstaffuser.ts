import { ValidationFailedException } from '../../common/errors/app.exception';
import { USERNAME_MESSAGE, USERNAME_PATTERN, insertUser } from '../../identity/users/user-accounts';
import { migrateIfEnabled, withCliDatabase } from '../cli-database';
import { CliCommand, CliUsageError, parseCommandArgs, requiredOption } from '../cli-command';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Maps a field of a 400 from `insertUser` to the option that set it. */
const OPTION_BY_FIELD: Record<string, string> = { username: '--username', password: '--password', email: '--email' };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const createStaffUserCommand: CliCommand = {
  name: 'createstaffuser',
  summary: 'Create a staff user who can log in with a password',
  help: `Usage: createstaffuser --username U (--password P | --password-stdin) --email E [--first-name F] [--last-name L]

Creates an active staff user. Fails with exit code 1 when the username is taken.
Applies pending migrations first unless MIGRATIONS_RUN=false.

Options:
  --username        login name: lowercase letters, digits and @ . + - _ (at most 128)
  --password        password, at least 8 characters and not only digits
  --password-stdin  read the password from standard input instead, keeping it out of the process list
  --email           email address
  --first-name      first name (optional)
  --last-name       last name (optional)
  -h, --help        show this help`,

  async run(args, output) {
    const { values } = parseCommandArgs(
      args,
      {
        username: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        email: { type: 'string' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
      },
      false,
    );
    if (values.help) {
      output.out(this.help);
      return 0;
    }

    const username = requiredOption(values, 'username');
    if (!USERNAME_PATTERN.test(username) || username.length > 128) throw new CliUsageError(`invalid --username "${username}": ${USERNAME_MESSAGE}`);
    const email = requiredOption(values, 'email');
    if (!EMAIL_PATTERN.test(email)) throw new CliUsageError(`invalid --email "${email}": enter a valid email address`);
    if (values.password !== undefined && values['password-stdin']) throw new CliUsageError('use either --password or --password-stdin, not both');
    const password = values['password-stdin'] ? await readStdin() : requiredOption(values, 'password');

    return withCliDatabase(async (database) => {
      await migrateIfEnabled(database);
      try {
        const user = await insertUser(database.dataSource.manager, {
          username,
          email,
          password,
          firstName: values['first-name'],
          lastName: values['last-name'],
          isStaff: true,
        });
        output.out(`Created staff user ${user.username} (uuid ${user.uuid.replace(/-/g, '')}).`);
        return 0;
      } catch (error) {
        if (!(error instanceof ValidationFailedException) || !error.fieldErrors) throw error;
        for (const [field, messages] of Object.entries(error.fieldErrors)) {
          output.err(`createstaffuser: ${OPTION_BY_FIELD[field] ?? field}: ${messages.join(' ')}`);
        }
        return 1;
      }
    });
  },
};
