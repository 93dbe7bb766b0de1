import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue statuses for the terminal phases of SMAX's default request workflow, whose `PhaseId`
 * becomes the status of an SMAX issue: Close resolves (0) and Abandon cancels (1). The other
 * phases need no row, because an unmapped status leaves the issue open. Existing statuses of
 * the same name are left as an admin set them.
 */
export class SeedSmaxIssueStatuses1796418800000 implements MigrationInterface {
  name = 'SeedSmaxIssueStatuses1796418800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO issue_statuses (name, type) VALUES ('Close', 0), ('Abandon', 1)
      ON CONFLICT (name) DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM issue_statuses WHERE name IN ('Close', 'Abandon')`);
  }
}
