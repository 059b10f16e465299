import type { Knex } from 'knex';

/**
 * Mails to a role are queued addressed to the role (recipient_role, with the template's
 * parameters) and expanded into one mail per member when they are delivered: the members
 * come from the directory group at that moment, not from who happened to sign in.
 * role_groups keeps what the last directory sync found per role, for the administration.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('recipient_role', 40);
    t.jsonb('params');
  });
  await knex.raw('ALTER TABLE outbox ALTER COLUMN recipient_email DROP NOT NULL');
  await knex.raw(
    'ALTER TABLE outbox ADD CONSTRAINT outbox_recipient CHECK ((recipient_email IS NOT NULL AND recipient_role IS NULL) OR (recipient_email IS NULL AND recipient_role IS NOT NULL AND params IS NOT NULL))',
  );
  await knex.schema.createTable('role_groups', (t) => {
    t.string('role', 40).primary();
    t.string('group_dn', 500);
    t.string('state', 12).notNullable(); // ok | empty | missing | unconfigured
    t.integer('members').notNullable().defaultTo(0);
    t.timestamp('checked_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    "ALTER TABLE role_groups ADD CONSTRAINT role_groups_state CHECK (state IN ('ok','empty','missing','unconfigured'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('role_groups');
  await knex('outbox').whereNotNull('recipient_role').del();
  await knex.raw('ALTER TABLE outbox DROP CONSTRAINT outbox_recipient');
  await knex.raw('ALTER TABLE outbox ALTER COLUMN recipient_email SET NOT NULL');
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('params');
    t.dropColumn('recipient_role');
  });
}
