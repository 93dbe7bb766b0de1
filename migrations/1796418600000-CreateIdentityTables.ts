import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentityTables1796418600000 implements MigrationInterface {
  name = 'CreateIdentityTables1796418600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        username varchar(128) NOT NULL,
        email varchar(320) NOT NULL DEFAULT '',
        first_name varchar(100) NOT NULL DEFAULT '',
        last_name varchar(100) NOT NULL DEFAULT '',
        full_name varchar(201) NOT NULL DEFAULT '',
        civil_number varchar(50) NOT NULL DEFAULT '',
        is_staff boolean NOT NULL DEFAULT false,
        is_support boolean NOT NULL DEFAULT false,
        is_active boolean NOT NULL DEFAULT true,
        password_hash varchar(255),
        token_lifetime integer,
        date_joined timestamptz NOT NULL DEFAULT now(),
        modified timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_uuid_key UNIQUE (uuid),
        CONSTRAINT users_username_key UNIQUE (username)
      )`);
    await queryRunner.query(`
      CREATE TABLE customers (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(150) NOT NULL,
        abbreviation varchar(12) NOT NULL DEFAULT '',
        native_name varchar(160) NOT NULL DEFAULT '',
        email varchar(320) NOT NULL DEFAULT '',
        description text NOT NULL DEFAULT '',
        backend_id varchar(255) NOT NULL DEFAULT '',
        created timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT customers_uuid_key UNIQUE (uuid)
      )`);
    await queryRunner.query(`
      CREATE TABLE projects (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(500) NOT NULL,
        description text NOT NULL DEFAULT '',
        customer_id integer NOT NULL,
        backend_id varchar(255) NOT NULL DEFAULT '',
        created timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT projects_uuid_key UNIQUE (uuid),
        CONSTRAINT projects_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX projects_customer_id_idx ON projects (customer_id)`);
    await queryRunner.query(`
      CREATE TABLE role_grants (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id integer NOT NULL,
        scope varchar(16) NOT NULL,
        customer_id integer,
        project_id integer,
        role varchar(32) NOT NULL,
        expiration_time timestamptz,
        created_by_id integer,
        created timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_grants_uuid_key UNIQUE (uuid),
        CONSTRAINT role_grants_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT role_grants_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
        CONSTRAINT role_grants_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
        CONSTRAINT role_grants_scope_check CHECK (
          (scope = 'customer' AND customer_id IS NOT NULL AND project_id IS NULL)
          OR (scope = 'project' AND project_id IS NOT NULL AND customer_id IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX role_grants_user_id_idx ON role_grants (user_id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX role_grants_customer_user_role_key ON role_grants (customer_id, user_id, role) WHERE customer_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX role_grants_project_user_role_key ON role_grants (project_id, user_id, role) WHERE project_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE auth_tokens (
        id serial PRIMARY KEY,
        key_hash char(64) NOT NULL,
        user_id integer NOT NULL,
        created timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        CONSTRAINT auth_tokens_key_hash_key UNIQUE (key_hash),
        CONSTRAINT auth_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX auth_tokens_user_id_idx ON auth_tokens (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE auth_tokens`);
    await queryRunner.query(`DROP TABLE role_grants`);
    await queryRunner.query(`DROP TABLE projects`);
    await queryRunner.query(`DROP TABLE customers`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
