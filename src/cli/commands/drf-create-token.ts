import { mintToken } from '../../identity/tokens/token-minting';
import { User } from '../../identity/users/user.entity';
import { databaseDescription, migrateIfEnabled, withCliDatabase } from '../cli-database';
import { CliCommand, CliUsageError, parseCommandArgs } from '../cli-command';

export const drfCreateTokenCommand: CliCommand = {
  name: 'drf_create_token',
  summary: 'Mint a new API token for a user and print it',
  help: `Usage: drf_create_token USERNAME

Mints a new API token for an active user and prints only the token on stdout, so it
can be captured (TOKEN=$(npm run -s cli -- drf_create_token admin)). Earlier tokens
stay valid. The token expires after the user's token_lifetime or TOKEN_LIFETIME
seconds, or never when neither is set.

Options:
  -h, --help  show this help`,

  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, {}, true);
    if (values.help) {
      output.out(this.help);
      return 0;
    }
    if (positionals.length !== 1) throw new CliUsageError(`expected exactly one USERNAME, got ${positionals.length} arguments`);
    const [username] = positionals;

    return withCliDatabase(async (database) => {
      await migrateIfEnabled(database);
      const user = await database.dataSource.getRepository(User).findOneBy({ username });
      if (!user) {
        output.err(
          `drf_create_token: USERNAME: no user named "${username}" in ${databaseDescription(database.config)}; ` +
            "run the command with the server's DATA_DIR or DATABASE_URL",
        );
        return 1;
      }
      if (!user.isActive) {
        output.err(`drf_create_token: USERNAME: user "${username}" is inactive, so a token would not authenticate; activate it first`);
        return 1;
      }
      const { key } = await mintToken(database.dataSource.manager, user, database.config.tokenLifetimeSeconds);
      output.out(key);
      return 0;
    });
  },
};
