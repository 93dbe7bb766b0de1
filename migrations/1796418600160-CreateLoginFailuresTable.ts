import { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed password logins, counted per username and per client IP to throttle guessing across replicas. */
export class CreateLoginFailuresTable1796418600160 implements MigrationInterface {
  name = 'CreateLoginFailuresTable1796418600160';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_failures (
        id bigserial PRIMARY KEY,
        username varchar(128) NOT NULL,
        client_ip varchar(64) NOT NULL,
        created timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX login_failures_username_created_idx ON login_failures (username, created)`);
    await queryRunner.query(`CREATE INDEX login_failures_client_ip_created_idx ON login_failures (client_ip, created)`);
    await queryRunner.query(`CREATE INDEX login_failures_created_idx ON login_failures (created)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE login_failures`);
  }
}
