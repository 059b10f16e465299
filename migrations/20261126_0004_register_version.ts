import type { Knex } from 'knex';

/**
 * What the public side needs from the database:
 *
 * - `register_state`: one row whose `version` goes up in the same transaction as every
 *   change to the tables the public pages show (presences, org_units, platforms). Each
 *   instance keys its rendered pages by that version, so a publication on one instance is
 *   visible on every other instance with their next request; `changed_at` is the
 *   Last-Modified of the public pages. presence_editors has no trigger on purpose: staff
 *   names are never public, so editor changes must not invalidate anything.
 * - A GIN index for the German full-text search over name and description. Queries must
 *   use exactly this expression (see src/public/store.ts) for the planner to pick it.
 */
const TABLES = ['presences', 'org_units', 'platforms'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE register_state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
)`);
  await knex.raw('INSERT INTO register_state (id) VALUES (true)');

  // Statement-level triggers with transition tables: a statement that touched no row (a
  // scheduler's "UPDATE … WHERE nothing matches") does not invalidate the caches.
  await knex.raw(`CREATE FUNCTION register_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- nested IFs: PL/pgSQL plans a whole condition, and old_rows/new_rows exist only for their operation
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
$$`);
  for (const table of TABLES) {
    await knex.raw(
      `CREATE TRIGGER ${table}_bump_ins AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION register_state_bump()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_bump_upd AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION register_state_bump()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_bump_del AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION register_state_bump()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_bump_trunc AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION register_state_bump()`,
    );
  }

  await knex.raw(
    "CREATE INDEX presences_fulltext ON presences USING gin (to_tsvector('german'::regconfig, (name::text || ' ' || description)))",
  );
  await knex.raw("CREATE INDEX presences_published ON presences (published_at DESC) WHERE status = 'active'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS presences_published');
  await knex.raw('DROP INDEX IF EXISTS presences_fulltext');
  for (const table of TABLES) {
    for (const suffix of ['ins', 'upd', 'del', 'trunc']) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${table}_bump_${suffix} ON ${table}`);
    }
  }
  await knex.raw('DROP FUNCTION IF EXISTS register_state_bump()');
  await knex.raw('DROP TABLE IF EXISTS register_state');
}
