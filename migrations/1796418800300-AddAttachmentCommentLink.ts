import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links an attachment to the comment it came with, so files of internal comments are
 * hidden from those who may not read the comment. The column has no foreign key on
 * purpose: a deleted comment leaves its id behind and its files stay hidden.
 */
export class AddAttachmentCommentLink1796418800300 implements MigrationInterface {
  name = 'AddAttachmentCommentLink1796418800300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE attachments ADD COLUMN comment_id integer`);
    await queryRunner.query(`CREATE INDEX attachments_comment_id_idx ON attachments (comment_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX attachments_comment_id_idx`);
    await queryRunner.query(`ALTER TABLE attachments DROP COLUMN comment_id`);
  }
}
