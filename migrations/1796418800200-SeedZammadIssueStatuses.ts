import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue statuses for Zammad's default ticket states, whose name becomes the status of a
 * Zammad issue: closed resolves (0), merged and removed cancel (1) and the other states
 * are open (2). Existing statuses of the same name are left as an admin set them.
 */
export class SeedZammadIssueStatuses1796418800200 implements MigrationInterface {
  name = 'SeedZammadIssueStatuses1796418800200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO issue_statuses (name, type) VALUES
        ('new', 2), ('open', 2), ('pending reminder', 2), ('pending close', 2),
        ('closed', 0), ('merged', 1), ('removed', 1)
      ON CONFLICT (name) DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM issue_statuses
      WHERE name IN ('new', 'open', 'pending reminder', 'pending close', 'closed', 'merged', 'removed')`);
  }
}
