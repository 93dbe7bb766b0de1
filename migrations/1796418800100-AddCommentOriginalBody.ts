import { MigrationInterface, QueryRunner } from 'typeorm';

/** Keeps a backend's own markup of a comment (Zammad HTML) beside the plain-text description. */
export class AddCommentOriginalBody1796418800100 implements MigrationInterface {
  name = 'AddCommentOriginalBody1796418800100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE comments ADD COLUMN original_body text, ADD COLUMN original_format varchar(16)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE comments DROP COLUMN original_format, DROP COLUMN original_body`);
  }
}
