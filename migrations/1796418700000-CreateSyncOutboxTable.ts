import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSyncOutboxTable1796418700000 implements MigrationInterface {
  name = 'CreateSyncOutboxTable1796418700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // issue_id has no foreign key on purpose: a row that pushes an issue deletion must
    // outlive the issue, and rows of one issue must keep their order.
    await queryRunner.query(`
      CREATE TABLE sync_outbox (
        id bigserial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        backend_name varchar(32) NOT NULL,
        issue_id integer,
        issue_uuid uuid,
        operation varchar(64) NOT NULL,
        target_type varchar(32),
        target_id integer,
        target_uuid uuid,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key varchar(255) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        claimed_by varchar(255),
        claimed_until timestamptz,
        remote_id varchar(255),
        created timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT sync_outbox_uuid_key UNIQUE (uuid),
        CONSTRAINT sync_outbox_status_check CHECK (status IN ('pending', 'in_progress', 'done', 'dead', 'discarded')),
        CONSTRAINT sync_outbox_attempts_check CHECK (attempts >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX sync_outbox_due_idx ON sync_outbox (backend_name, next_attempt_at, id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX sync_outbox_claimed_idx ON sync_outbox (backend_name, claimed_until) WHERE status = 'in_progress'`);
    await queryRunner.query(
      `CREATE INDEX sync_outbox_blocking_idx ON sync_outbox (issue_id, id) WHERE status IN ('pending', 'in_progress', 'dead')`,
    );
    await queryRunner.query(`CREATE INDEX sync_outbox_issue_uuid_idx ON sync_outbox (issue_uuid)`);
    await queryRunner.query(`CREATE INDEX sync_outbox_idempotency_key_idx ON sync_outbox (backend_name, idempotency_key)`);
    await queryRunner.query(`CREATE INDEX sync_outbox_finished_idx ON sync_outbox (modified) WHERE status IN ('done', 'discarded')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_outbox`);
  }
}
