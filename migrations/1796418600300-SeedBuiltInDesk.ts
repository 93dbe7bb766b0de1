import { MigrationInterface, QueryRunner } from 'typeorm';

/** The built-in desk's statuses (0 RESOLVED, 1 CANCELED, 2 ACTIVE) and priorities. */
export class SeedBuiltInDesk1796418600300 implements MigrationInterface {
  name = 'SeedBuiltInDesk1796418600300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO issue_statuses (name, type) VALUES
        ('Open', 2), ('In Progress', 2), ('Waiting for customer', 2),
        ('Resolved', 0), ('Closed', 0), ('Canceled', 1)
      ON CONFLICT (name) DO NOTHING`);
    await queryRunner.query(`
      INSERT INTO priorities (name, description, backend_name) VALUES
        ('Low', 'Can wait', 'basic'), ('Normal', 'The default', 'basic'),
        ('High', 'Blocks work', 'basic'), ('Urgent', 'Service down', 'basic')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM priorities WHERE backend_name = 'basic' AND name IN ('Low', 'Normal', 'High', 'Urgent')`);
    await queryRunner.query(
      `DELETE FROM issue_statuses WHERE name IN ('Open', 'In Progress', 'Waiting for customer', 'Resolved', 'Closed', 'Canceled')`,
    );
  }
}
