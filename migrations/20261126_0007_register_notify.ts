import type { Knex } from 'knex';

/**
 * The register_state trigger (migration 0004) also sends NOTIFY register_changed, delivered
 * at commit. The embedded database lives in one process, so the public pages listen for it
 * instead of reading the register version on every request (src/public/service.ts);
 * PostgreSQL instances keep reading the version, which sees the commits of every instance.
 */
const BODY_WITH_NOTIFY = `
DECLARE
  changed boolean;
BEGIN
  -- separate branches: PL/pgSQL plans a whole condition at once, and old_rows / new_rows
  -- exist only for the operation that declares them
  IF TG_OP = 'TRUNCATE' THEN
    changed := true;
  ELSIF TG_OP = 'DELETE' THEN
    changed := EXISTS (SELECT 1 FROM old_rows);
  ELSE
    changed := EXISTS (SELECT 1 FROM new_rows);
  END IF;
  IF changed THEN
    UPDATE register_state SET version = version + 1, changed_at = clock_timestamp();
    PERFORM pg_notify('register_changed', '');
  END IF;
  RETURN NULL;
END
`;

const BODY_0004 = `
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE register_state SET version = version + 1, changed_at = clock_timestamp();
  ELSIF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM old_rows) THEN
      UPDATE register_state SET version = version + 1, changed_at = clock_timestamp();
    END IF;
  ELSIF EXISTS (SELECT 1 FROM new_rows) THEN
    UPDATE register_state SET version = version + 1, changed_at = clock_timestamp();
  END IF;
  RETURN NULL;
END
`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE OR REPLACE FUNCTION register_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$${BODY_WITH_NOTIFY}$$`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE OR REPLACE FUNCTION register_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$${BODY_0004}$$`,
  );
}
