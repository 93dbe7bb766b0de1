import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSyncInboxTables1796418700100 implements MigrationInterface {
  name = 'CreateSyncInboxTables1796418700100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_inbox (
        id bigserial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        source varchar(32) NOT NULL,
        delivery_id varchar(255) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        body bytea NOT NULL,
        signature_verdict varchar(16) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        last_error text,
        processed_at timestamptz,
        remote_object_type varchar(32),
        remote_object_id varchar(255),
        remote_version varchar(64),
        CONSTRAINT sync_inbox_uuid_key UNIQUE (uuid),
        CONSTRAINT sync_inbox_delivery_key UNIQUE (source, delivery_id),
        CONSTRAINT sync_inbox_status_check CHECK (status IN ('pending', 'processed', 'ignored', 'failed')),
        CONSTRAINT sync_inbox_signature_verdict_check CHECK (signature_verdict IN ('valid', 'invalid', 'missing', 'not_required')),
        CONSTRAINT sync_inbox_attempts_check CHECK (attempts >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX sync_inbox_due_idx ON sync_inbox (source, next_attempt_at, id) WHERE status IN ('pending', 'failed')`);
    await queryRunner.query(`CREATE INDEX sync_inbox_received_at_idx ON sync_inbox (received_at)`);

    // The newest version applied per remote object, so a late or repeated delivery never
    // moves an object back. numeric holds epoch milliseconds and plain counters alike.
    await queryRunner.query(`
      CREATE TABLE sync_remote_versions (
        backend_name varchar(32) NOT NULL,
        object_type varchar(32) NOT NULL,
        remote_id varchar(255) NOT NULL,
        last_version numeric(40, 0) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_remote_versions_pkey PRIMARY KEY (backend_name, object_type, remote_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_remote_versions`);
    await queryRunner.query(`DROP TABLE sync_inbox`);
  }
}
