import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSettingsTable1796418600100 implements MigrationInterface {
  name = 'CreateSettingsTable1796418600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE settings_revision_seq`);
    await queryRunner.query(`
      CREATE TABLE settings (
        key varchar(100) PRIMARY KEY,
        value jsonb NOT NULL,
        revision bigint NOT NULL DEFAULT nextval('settings_revision_seq'),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX settings_revision_idx ON settings (revision)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE settings`);
    await queryRunner.query(`DROP SEQUENCE settings_revision_seq`);
  }
}
