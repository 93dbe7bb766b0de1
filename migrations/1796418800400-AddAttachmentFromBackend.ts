import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks attachments that were added in the backend and copied here by a pull, so the API can
 * tell them from files uploaded through it: Zammad lets the integration delete only the
 * latter. Existing Zammad and SMAX rows count as pulled unless an outbox row uploaded them.
 * Rows whose upload row was already purged by the outbox retention are marked pulled too,
 * which only matters for deletes, and Zammad allows those only within minutes of an upload.
 */
export class AddAttachmentFromBackend1796418800400 implements MigrationInterface {
  name = 'AddAttachmentFromBackend1796418800400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE attachments ADD COLUMN from_backend boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `UPDATE attachments SET from_backend = true
       WHERE backend_name IN ('zammad', 'smax') AND backend_id <> ''
         AND NOT EXISTS (
           SELECT 1 FROM sync_outbox
           WHERE sync_outbox.operation = 'attachment.create' AND sync_outbox.target_type = 'attachment'
             AND sync_outbox.target_id = attachments.id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE attachments DROP COLUMN from_backend`);
  }
}
