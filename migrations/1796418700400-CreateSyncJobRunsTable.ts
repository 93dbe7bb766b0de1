import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSyncJobRunsTable1796418700400 implements MigrationInterface {
  name = 'CreateSyncJobRunsTable1796418700400';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per job and tick: the unique key is what makes a job run once per tick
    // across replicas, even where advisory locks do not exclude (embedded PGlite).
    await queryRunner.query(`
      CREATE TABLE sync_job_runs (
        id bigserial PRIMARY KEY,
        job_name varchar(100) NOT NULL,
        tick varchar(64) NOT NULL,
        replica_id varchar(255) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'started',
        started_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz NOT NULL,
        finished_at timestamptz,
        counts jsonb NOT NULL DEFAULT '{}'::jsonb,
        error text,
        CONSTRAINT sync_job_runs_tick_key UNIQUE (job_name, tick),
        CONSTRAINT sync_job_runs_status_check CHECK (status IN ('started', 'succeeded', 'failed', 'abandoned'))
      )`);
    await queryRunner.query(`CREATE INDEX sync_job_runs_started_idx ON sync_job_runs (job_name, lease_until) WHERE status = 'started'`);
    await queryRunner.query(`CREATE INDEX sync_job_runs_started_at_idx ON sync_job_runs (started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_job_runs`);
  }
}
