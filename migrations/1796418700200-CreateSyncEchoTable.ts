import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSyncEchoTable1796418700200 implements MigrationInterface {
  name = 'CreateSyncEchoTable1796418700200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_echo (
        id bigserial PRIMARY KEY,
        backend_name varchar(32) NOT NULL,
        object_type varchar(32) NOT NULL,
        remote_id varchar(255) NOT NULL,
        content_hash char(64) NOT NULL,
        pushed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_echo_content_key UNIQUE (backend_name, object_type, remote_id, content_hash)
      )`);
    await queryRunner.query(`CREATE INDEX sync_echo_pushed_at_idx ON sync_echo (pushed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_echo`);
  }
}
