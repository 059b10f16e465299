import type { Knex } from 'knex';

/**
 * Citizens' reports of fake accounts (issue 12).
 *
 * - `report_cases`: one case per reported account (platform + canonical id), however often it
 *   is reported (`report_count`), with the press office's verdict: new → impostor (a public
 *   warning, `confirmed_at` = since when) / ours (linked to a presence) / unrelated / closed.
 *   `closed_at` is when the case left "new": reporters' personal data is deleted
 *   REPORT_RETENTION_DAYS after it (src/jobs/maintenance.ts).
 * - `account_reports`: each report — message, optional e-mail for a reply, the sender's address
 *   (for the abuse limit and questions of abuse); e-mail and address are set to null by the
 *   retention, the row stays (count, message, date).
 * - `report_digests`: one row per Berlin day a digest mail went to communications; its primary
 *   key makes the digest once per day across every instance.
 *
 * A change of a case's verdict changes public answers (/pruefen, /warnungen, the Atom feed),
 * so it moves the register version like a change to a presence does (migrations 0004, 0007);
 * a new report only counts up and invalidates nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_cases', (t) => {
    t.increments('id').primary();
    t.string('platform_key', 40).notNullable().references('key').inTable('platforms');
    t.string('account_id', 200).notNullable();
    t.string('account_url', 2000).notNullable();
    t.string('state', 20).notNullable().defaultTo('new');
    t.integer('report_count').notNullable().defaultTo(0);
    t.timestamp('first_reported_at', { useTz: true }).notNullable();
    t.timestamp('last_reported_at', { useTz: true }).notNullable();
    /** Ids of the presences it looked like when last reported. */
    t.jsonb('lookalike_of').notNullable().defaultTo('[]');
    t.timestamp('confirmed_at', { useTz: true });
    t.date('reported_to_platform_on');
    t.integer('presence_id').references('id').inTable('presences').onDelete('SET NULL');
    t.timestamp('closed_at', { useTz: true });
    t.string('decided_by', 100);
    t.timestamp('digested_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['platform_key', 'account_id']);
  });
  await knex.raw(
    "ALTER TABLE report_cases ADD CONSTRAINT report_cases_state CHECK (state IN ('new', 'impostor', 'ours', 'unrelated', 'closed'))",
  );
  await knex.raw('CREATE INDEX report_cases_state_idx ON report_cases (state, last_reported_at DESC)');

  await knex.schema.createTable('account_reports', (t) => {
    t.increments('id').primary();
    t.integer('case_id').notNullable().references('id').inTable('report_cases').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.string('message', 1000);
    t.string('email', 254);
    t.string('client_address', 64);
    t.string('locale', 5).notNullable().defaultTo('de');
    t.timestamp('personal_data_deleted_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX account_reports_case ON account_reports (case_id, created_at)');

  await knex.schema.createTable('report_digests', (t) => {
    t.date('day').primary();
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.integer('cases').notNullable();
  });

  await knex.raw(`CREATE FUNCTION register_state_bump_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE register_state SET version = version + 1, changed_at = clock_timestamp();
  PERFORM pg_notify('register_changed', '');
  RETURN NULL;
END
$$`);
  await knex.raw(`CREATE TRIGGER report_cases_verdict_bump AFTER UPDATE ON report_cases FOR EACH ROW
WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.confirmed_at IS DISTINCT FROM NEW.confirmed_at
      OR OLD.account_url IS DISTINCT FROM NEW.account_url)
EXECUTE FUNCTION register_state_bump_row()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS report_cases_verdict_bump ON report_cases');
  await knex.raw('DROP FUNCTION IF EXISTS register_state_bump_row()');
  await knex.schema.dropTableIfExists('report_digests');
  await knex.schema.dropTableIfExists('account_reports');
  await knex.schema.dropTableIfExists('report_cases');
}
