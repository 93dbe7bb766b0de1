import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { withCliDatabase } from '../cli-database';
import { CliCommand, CliUsageError, parseCommandArgs } from '../cli-command';
import { pendingMigrationNames } from './migration-show';

/** The project root: this file is compiled to dist/src/cli/commands/. */
const PROJECT_ROOT = resolve(__dirname, '..', '..', '..', '..');

interface SqlQuery {
  query: string;
  parameters?: unknown[];
}

function renderQuery(query: SqlQuery): string {
  const sql = query.query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  const parameters = query.parameters && query.parameters.length > 0 ? `, ${JSON.stringify(query.parameters)}` : '';
  return `    await queryRunner.query(\`${sql}\`${parameters});`;
}

function renderMigration(className: string, up: SqlQuery[], down: SqlQuery[]): string {
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map(renderQuery).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${[...down].reverse().map(renderQuery).join('\n')}
  }
}
`;
}

export const migrationGenerateCommand: CliCommand = {
  name: 'migration:generate',
  summary: 'Write a migration with the SQL that brings the database in line with the entities',
  help: `Usage: migration:generate NAME [--out-dir DIR]

Compares the entities with the database schema (all migrations must be applied first)
and writes DIR/<epoch ms>-NAME.ts with the SQL TypeORM proposes. Review and tidy the
SQL (constraint names, timestamptz), then add the class to migrations/index.ts.
Exits with code 1 when there is nothing to generate.

Arguments:
  NAME        the migration's name as VerbNoun in PascalCase, for example AddIssueSlaColumns

Options:
  --out-dir   folder to write to (default: the project's migrations/)
  -h, --help  show this help`,

  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, { 'out-dir': { type: 'string' } }, true);
    if (values.help) {
      output.out(this.help);
      return 0;
    }
    if (positionals.length !== 1) throw new CliUsageError(`expected exactly one NAME, got ${positionals.length} arguments`);
    const [name] = positionals;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new CliUsageError(`invalid NAME "${name}": use PascalCase letters and digits, for example AddIssueSlaColumns`);
    const outDir = resolve(values['out-dir'] ?? join(PROJECT_ROOT, 'migrations'));
    if (!existsSync(outDir)) throw new CliUsageError(`invalid --out-dir "${outDir}": no such folder`);

    return withCliDatabase(async ({ dataSource }) => {
      const pending = await pendingMigrationNames(dataSource);
      if (pending.length > 0) {
        output.err(`migration:generate: ${pending.length} migration(s) are pending (${pending.join(', ')}); run migration:run first`);
        return 1;
      }
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        output.err('migration:generate: no changes in the database schema were found, so no migration was written');
        return 1;
      }

      const timestamp = Date.now();
      const path = join(outDir, `${timestamp}-${name}.ts`);
      writeFileSync(path, renderMigration(`${name}${timestamp}`, sql.upQueries, sql.downQueries), { flag: 'wx' });
      output.out(path);
      output.err(`Add ${name}${timestamp} to migrations/index.ts so that it runs.`);
      return 0;
    });
  },
};
