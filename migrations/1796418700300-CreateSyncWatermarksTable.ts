import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSyncWatermarksTable1796418700300 implements MigrationInterface {
  name = 'CreateSyncWatermarksTable1796418700300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_watermarks (
        backend_name varchar(32) NOT NULL,
        scope varchar(64) NOT NULL,
        watermark timestamptz,
        last_success_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        last_reconciled_at timestamptz,
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_watermarks_pkey PRIMARY KEY (backend_name, scope)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_watermarks`);
  }
}
