import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSupportTables1796418600200 implements MigrationInterface {
  name = 'CreateSupportTables1796418600200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE support_users (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(150) NOT NULL,
        user_id integer,
        backend_id varchar(255),
        backend_name varchar(32),
        is_active boolean NOT NULL DEFAULT true,
        CONSTRAINT support_users_uuid_key UNIQUE (uuid),
        CONSTRAINT support_users_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX support_users_user_id_idx ON support_users (user_id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX support_users_backend_key ON support_users (backend_name, backend_id) WHERE backend_id IS NOT NULL AND is_active`,
    );

    await queryRunner.query(`
      CREATE TABLE issue_statuses (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(255) NOT NULL,
        type smallint NOT NULL DEFAULT 0,
        CONSTRAINT issue_statuses_uuid_key UNIQUE (uuid),
        CONSTRAINT issue_statuses_name_key UNIQUE (name),
        CONSTRAINT issue_statuses_type_check CHECK (type IN (0, 1, 2))
      )`);

    await queryRunner.query(`
      CREATE TABLE priorities (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(150) NOT NULL,
        description varchar(4096) NOT NULL DEFAULT '',
        icon_url varchar(500) NOT NULL DEFAULT '',
        backend_id varchar(255) NOT NULL DEFAULT '',
        backend_name varchar(32),
        CONSTRAINT priorities_uuid_key UNIQUE (uuid)
      )`);

    await queryRunner.query(`
      CREATE TABLE marketplace_resources (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(150) NOT NULL,
        resource_type varchar(100) NOT NULL DEFAULT 'Marketplace.Resource',
        backend_id varchar(255) NOT NULL DEFAULT '',
        project_id integer NOT NULL,
        internal_ips jsonb NOT NULL DEFAULT '[]'::jsonb,
        external_ips jsonb NOT NULL DEFAULT '[]'::jsonb,
        created timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT marketplace_resources_uuid_key UNIQUE (uuid),
        CONSTRAINT marketplace_resources_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX marketplace_resources_project_id_idx ON marketplace_resources (project_id)`);

    await queryRunner.query(`
      CREATE TABLE templates (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(150) NOT NULL,
        native_name varchar(150) NOT NULL DEFAULT '',
        description text NOT NULL,
        native_description text NOT NULL DEFAULT '',
        issue_type varchar(30) NOT NULL DEFAULT 'INFORMATIONAL',
        created timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT templates_uuid_key UNIQUE (uuid)
      )`);
    await queryRunner.query(`
      CREATE TABLE template_attachments (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        template_id integer NOT NULL,
        name varchar(150) NOT NULL,
        storage_key varchar(255) NOT NULL,
        mime_type varchar(255) NOT NULL DEFAULT 'application/octet-stream',
        file_size bigint NOT NULL DEFAULT 0,
        created timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT template_attachments_uuid_key UNIQUE (uuid),
        CONSTRAINT template_attachments_template_id_fkey FOREIGN KEY (template_id) REFERENCES templates (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX template_attachments_template_id_idx ON template_attachments (template_id)`);

    await queryRunner.query(`
      CREATE TABLE request_types (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(150) NOT NULL,
        issue_type_name varchar(255) NOT NULL,
        backend_id integer,
        backend_name varchar(32),
        fields jsonb NOT NULL DEFAULT '{}'::jsonb,
        is_active boolean NOT NULL DEFAULT true,
        "order" integer NOT NULL DEFAULT 0,
        created timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT request_types_uuid_key UNIQUE (uuid),
        CONSTRAINT request_types_order_check CHECK ("order" >= 0)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX request_types_backend_key ON request_types (backend_name, backend_id) WHERE backend_id IS NOT NULL`,
    );

    await queryRunner.query(`CREATE SEQUENCE support_issue_key_seq`);
    await queryRunner.query(`
      CREATE TABLE issues (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        backend_name varchar(32),
        backend_id varchar(255),
        remote_id varchar(255),
        key varchar(255) NOT NULL DEFAULT '',
        type varchar(255) NOT NULL,
        link varchar(255) NOT NULL DEFAULT '',
        summary varchar(255) NOT NULL,
        description text NOT NULL DEFAULT '',
        impact varchar(255) NOT NULL DEFAULT '',
        status varchar(255) NOT NULL DEFAULT '',
        resolution varchar(255) NOT NULL DEFAULT '',
        priority varchar(255) NOT NULL DEFAULT '',
        caller_id integer,
        reporter_id integer,
        assignee_id integer,
        customer_id integer,
        project_id integer,
        resource_id integer,
        template_id integer,
        first_response_sla timestamptz,
        resolution_date timestamptz,
        feedback_request boolean NOT NULL DEFAULT true,
        feedback_requested_at timestamptz,
        state smallint NOT NULL DEFAULT 3,
        created timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT issues_uuid_key UNIQUE (uuid),
        CONSTRAINT issues_caller_id_fkey FOREIGN KEY (caller_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT issues_reporter_id_fkey FOREIGN KEY (reporter_id) REFERENCES support_users (id) ON DELETE RESTRICT,
        CONSTRAINT issues_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES support_users (id) ON DELETE RESTRICT,
        CONSTRAINT issues_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
        CONSTRAINT issues_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
        CONSTRAINT issues_resource_id_fkey FOREIGN KEY (resource_id) REFERENCES marketplace_resources (id) ON DELETE SET NULL,
        CONSTRAINT issues_template_id_fkey FOREIGN KEY (template_id) REFERENCES templates (id) ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX issues_backend_key ON issues (backend_name, backend_id) WHERE backend_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX issues_remote_id_key ON issues (remote_id) WHERE remote_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX issues_customer_id_idx ON issues (customer_id)`);
    await queryRunner.query(`CREATE INDEX issues_project_id_idx ON issues (project_id)`);
    await queryRunner.query(`CREATE INDEX issues_resource_id_idx ON issues (resource_id)`);
    await queryRunner.query(`CREATE INDEX issues_caller_id_idx ON issues (caller_id)`);
    await queryRunner.query(`CREATE INDEX issues_created_idx ON issues (created)`);

    await queryRunner.query(`
      CREATE TABLE comments (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        issue_id integer NOT NULL,
        author_id integer NOT NULL,
        description text NOT NULL,
        is_public boolean NOT NULL DEFAULT true,
        backend_name varchar(32),
        backend_id varchar(255),
        remote_id varchar(255),
        state smallint NOT NULL DEFAULT 3,
        created timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT comments_uuid_key UNIQUE (uuid),
        CONSTRAINT comments_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
        CONSTRAINT comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES support_users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX comments_issue_id_idx ON comments (issue_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX comments_backend_key ON comments (backend_name, backend_id) WHERE backend_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE attachments (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        issue_id integer NOT NULL,
        author_id integer,
        file_name varchar(255) NOT NULL,
        mime_type varchar(255) NOT NULL DEFAULT 'application/octet-stream',
        file_size bigint NOT NULL DEFAULT 0,
        sha256 char(64),
        storage_key varchar(255),
        backend_name varchar(32),
        backend_id varchar(255) NOT NULL DEFAULT '',
        state smallint NOT NULL DEFAULT 3,
        created timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT attachments_uuid_key UNIQUE (uuid),
        CONSTRAINT attachments_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
        CONSTRAINT attachments_author_id_fkey FOREIGN KEY (author_id) REFERENCES support_users (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX attachments_issue_id_idx ON attachments (issue_id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX attachments_backend_key ON attachments (backend_name, backend_id) WHERE backend_id IS NOT NULL AND backend_id <> ''`,
    );

    await queryRunner.query(`
      CREATE TABLE feedbacks (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        issue_id integer NOT NULL,
        evaluation smallint NOT NULL,
        comment text NOT NULL DEFAULT '',
        state smallint NOT NULL DEFAULT 3,
        created timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT feedbacks_uuid_key UNIQUE (uuid),
        CONSTRAINT feedbacks_issue_id_key UNIQUE (issue_id),
        CONSTRAINT feedbacks_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
        CONSTRAINT feedbacks_evaluation_check CHECK (evaluation BETWEEN 1 AND 10)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'feedbacks',
      'attachments',
      'comments',
      'issues',
      'request_types',
      'template_attachments',
      'templates',
      'marketplace_resources',
      'priorities',
      'issue_statuses',
      'support_users',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query(`DROP SEQUENCE support_issue_key_seq`);
  }
}
