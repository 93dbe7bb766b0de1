import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSigningKeysTable1796418600150 implements MigrationInterface {
  name = 'CreateSigningKeysTable1796418600150';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE signing_keys (
        name varchar(50) PRIMARY KEY,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE signing_keys`);
  }
}
