import type { Knex } from 'knex';

/**
 * People as last seen in the directory (at sign-in or a lookup): name, mail, unit and roles.
 * Needed to act for an absent principal (their roles) and to address mail; the directory
 * stays the source of truth and refreshes this on every sign-in.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('people', (t) => {
    t.string('uid', 100).primary();
    t.string('name', 200).notNullable();
    t.string('email', 200);
    t.string('unit', 40);
    t.jsonb('roles').notNullable().defaultTo('[]');
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.timestamp('missing_since', { useTz: true }); // set by the directory check when gone
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('people');
}
