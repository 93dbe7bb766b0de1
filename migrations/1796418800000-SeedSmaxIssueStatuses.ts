import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue statuses for the phases of SMAX's default request workflow, whose `PhaseId` becomes
 * the status of an SMAX issue: Close resolves (0), Abandon cancels (1) and the other phases
 * are open (2). Existing statuses of the same name are left as an admin set them.
 */
export class SeedSmaxIssueStatuses1796418800000 implements MigrationInterface {
  name = 'SeedSmaxIssueStatuses1796418800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO issue_statuses (name, type) VALUES
        ('Log', 2), ('Classify', 2), ('Approve', 2), ('Fulfill', 2), ('Review', 2), ('Accept', 2), ('Escalate', 2),
        ('Close', 0), ('Abandon', 1)
      ON CONFLICT (name) DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM issue_statuses
      WHERE name IN ('Log', 'Classify', 'Approve', 'Fulfill', 'Review', 'Accept', 'Escalate', 'Close', 'Abandon')`);
  }
}
