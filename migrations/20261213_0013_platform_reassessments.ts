import type { Knex } from 'knex';

/**
 * Platform re-assessments (issue 13): data protection or communications revisit a platform
 * when the law moves (a court ruling, an authority's order). Every presence that was active on
 * the platform when the re-assessment opened gets one task row; its editors or unit head
 * confirm the continued need and the updated privacy notice, or the presence is closed.
 * At most one open re-assessment per platform (partial unique index), so a presence never has
 * two tasks for the same platform at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reassessments', (t) => {
    t.increments('id').primary();
    t.string('platform_key', 40).notNullable().references('key').inTable('platforms');
    t.text('reason').notNullable();
    t.date('deadline').notNullable();
    t.string('status', 12).notNullable().defaultTo('open'); // open | reported (deadline passed, report sent)
    /** The platform was closed to new requests when the re-assessment opened. */
    t.boolean('platform_closed').notNullable().defaultTo(false);
    t.string('opened_by_uid', 100).notNullable();
    t.string('opened_by_name', 200).notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('reported_at', { useTz: true });
  });
  await knex.raw("ALTER TABLE reassessments ADD CONSTRAINT reassessments_status CHECK (status IN ('open','reported'))");
  await knex.raw("CREATE UNIQUE INDEX reassessments_one_open ON reassessments (platform_key) WHERE status = 'open'");

  await knex.schema.createTable('reassessment_tasks', (t) => {
    t.integer('reassessment_id').notNullable().references('id').inTable('reassessments').onDelete('CASCADE');
    t.integer('presence_id').notNullable().references('id').inTable('presences');
    t.string('state', 12).notNullable().defaultTo('open'); // open | confirmed | closed
    t.string('answered_by_uid', 100);
    t.string('answered_by_name', 200);
    t.timestamp('answered_at', { useTz: true });
    t.text('comment');
    /** The day the reminder went out (once per task). */
    t.date('reminded_on');
    /** Still unanswered when the deadline passed: named in the report. */
    t.boolean('unanswered_at_deadline').notNullable().defaultTo(false);
    t.primary(['reassessment_id', 'presence_id']);
  });
  await knex.raw(
    "ALTER TABLE reassessment_tasks ADD CONSTRAINT reassessment_tasks_state CHECK (state IN ('open','confirmed','closed'))",
  );
  await knex.raw('CREATE INDEX reassessment_tasks_presence ON reassessment_tasks (presence_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('reassessment_tasks');
  await knex.schema.dropTableIfExists('reassessments');
}
