import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue statuses for the terminal states among Zammad's default ticket states, whose name
 * becomes the status of a Zammad issue: closed resolves (0), merged and removed cancel (1).
 * The other states need no row, because an unmapped status leaves the issue open. Existing
 * statuses of the same name are left as an admin set them.
 */
export class SeedZammadIssueStatuses1796418800200 implements MigrationInterface {
  name = 'SeedZammadIssueStatuses1796418800200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO issue_statuses (name, type) VALUES ('closed', 0), ('merged', 1), ('removed', 1)
      ON CONFLICT (name) DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM issue_statuses WHERE name IN ('closed', 'merged', 'removed')`);
  }
}
