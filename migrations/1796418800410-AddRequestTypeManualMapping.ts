import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks request types whose issue type name an admin chose, so automatic request mapping
 * leaves them alone on every pull and they win over other request types of that issue type.
 */
export class AddRequestTypeManualMapping1796418800410 implements MigrationInterface {
  name = 'AddRequestTypeManualMapping1796418800410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE request_types ADD COLUMN manual_mapping boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE request_types DROP COLUMN manual_mapping`);
  }
}
