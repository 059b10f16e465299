import type { Knex } from 'knex';

/**
 * Checked CSV uploads waiting for an administrator's confirmation (bulk import of presences,
 * import of organisational units). The dry run stores a clean upload under a random token;
 * "import now" reads it back on whichever instance receives the request, checks it again and
 * imports it in one transaction. No process memory is involved, so several instances work.
 * Rows are staging data, not the register: old ones are deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_uploads', (t) => {
    t.string('token', 64).primary();
    t.string('kind', 20).notNullable(); // presences | org_units
    t.string('created_by', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.text('content').notNullable(); // the CSV as checked (UTF-8 text, BOM removed)
    t.integer('row_count').notNullable();
    t.timestamp('consumed_at', { useTz: true });
    t.jsonb('result'); // counts of the import, shown on the result page
  });
  await knex.raw(
    "ALTER TABLE admin_uploads ADD CONSTRAINT admin_uploads_kind CHECK (kind IN ('presences','org_units'))",
  );
  await knex.raw('CREATE INDEX admin_uploads_created ON admin_uploads (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_uploads');
}
