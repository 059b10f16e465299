import type { Knex } from 'knex';

/**
 * The register and its approval workflow: organisational units, platforms, presences,
 * requests with every submitted version, workflow definitions and instances, decisions,
 * substitutions, the notification outbox, job leases and the append-only history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('org_units', (t) => {
    t.increments('id').primary();
    t.string('code', 40).notNullable().unique(); // e.g. "41"; matches the directory's unit attribute
    t.string('name', 200).notNullable();
    t.string('short_name', 80);
    t.string('kind', 20).notNullable();
    t.integer('parent_id').references('id').inTable('org_units');
    t.string('hannover_de_url', 500);
    t.integer('sort_order').notNullable().defaultTo(0);
    t.timestamp('retired_at', { useTz: true });
    t.timestamps(true, true);
  });
  await knex.raw(
    "ALTER TABLE org_units ADD CONSTRAINT org_units_kind CHECK (kind IN ('dezernat','fachbereich','bereich','amt','betrieb','einrichtung','stelle'))",
  );

  await knex.schema.createTable('org_unit_heads', (t) => {
    t.integer('org_unit_id').notNullable().references('id').inTable('org_units').onDelete('CASCADE');
    t.string('uid', 100).notNullable();
    t.string('name', 200).notNullable();
    t.string('kind', 10).notNullable(); // head | deputy
    t.primary(['org_unit_id', 'uid']);
  });
  await knex.raw("ALTER TABLE org_unit_heads ADD CONSTRAINT org_unit_heads_kind CHECK (kind IN ('head','deputy'))");

  await knex.schema.createTable('platforms', (t) => {
    t.string('key', 40).primary();
    t.string('name', 100).notNullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.integer('sort_order').notNullable().defaultTo(0);
    t.jsonb('rules').notNullable();
    t.timestamps(true, true);
  });

  await knex.schema.createTable('presences', (t) => {
    t.increments('id').primary();
    t.string('slug', 120).notNullable().unique();
    t.string('platform_key', 40).notNullable().references('key').inTable('platforms');
    t.string('account_id', 300).notNullable(); // canonical, lower case
    t.string('url', 500).notNullable(); // canonical URL
    t.string('name', 200).notNullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('org_unit_id').notNullable().references('id').inTable('org_units');
    t.string('hannover_de_url', 500);
    t.string('status', 20).notNullable(); // active | closed
    t.boolean('central').notNullable().defaultTo(false); // facebook.com/hannover.de, shown first
    t.timestamp('published_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.text('close_reason');
    t.timestamp('last_confirmed_at', { useTz: true });
    t.date('review_due');
    t.boolean('review_overdue').notNullable().defaultTo(false);
    t.boolean('editors_flagged').notNullable().defaultTo(false);
    t.jsonb('details').notNullable().defaultTo('{}'); // concept, legal links, … as approved
    t.integer('request_id'); // the request that published the current data
    t.string('owner', 100); // e.g. "Hannover.de Internet GmbH" for the central presence
    t.timestamps(true, true);
  });
  await knex.raw("ALTER TABLE presences ADD CONSTRAINT presences_status CHECK (status IN ('active','closed'))");
  await knex.raw('CREATE UNIQUE INDEX presences_platform_account ON presences (platform_key, lower(account_id))');
  await knex.raw('CREATE INDEX presences_status_unit ON presences (status, org_unit_id)');

  await knex.schema.createTable('presence_editors', (t) => {
    t.integer('presence_id').notNullable().references('id').inTable('presences').onDelete('CASCADE');
    t.string('uid', 100).notNullable();
    t.string('name', 200).notNullable();
    t.string('email', 200);
    t.integer('position').notNullable(); // 0 = lead, 1 = deputy, …
    t.primary(['presence_id', 'uid']);
  });

  await knex.schema.createTable('workflow_definitions', (t) => {
    t.increments('id').primary();
    t.string('key', 60).notNullable();
    t.integer('version').notNullable();
    t.jsonb('definition').notNullable();
    t.string('created_by', 100);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['key', 'version']);
  });

  await knex.schema.createTable('requests', (t) => {
    t.increments('id').primary();
    t.string('kind', 20).notNullable(); // new | existing | change | editors
    t.integer('presence_id').references('id').inTable('presences');
    t.string('author_uid', 100).notNullable();
    t.string('author_name', 200).notNullable();
    t.integer('org_unit_id').references('id').inTable('org_units');
    t.string('status', 20).notNullable(); // mirrors the workflow instance
    t.string('title', 200).notNullable().defaultTo('');
    t.jsonb('data').notNullable(); // the form as last saved (draft or submitted)
    t.integer('version').notNullable().defaultTo(0); // number of submissions
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.timestamps(true, true);
  });
  await knex.raw(
    "ALTER TABLE requests ADD CONSTRAINT requests_kind CHECK (kind IN ('new','existing','change','editors'))",
  );
  await knex.raw(
    "ALTER TABLE requests ADD CONSTRAINT requests_status CHECK (status IN ('draft','in_review','returned','rejected','withdrawn','published'))",
  );
  await knex.raw('CREATE INDEX requests_author ON requests (author_uid)');
  await knex.raw('CREATE INDEX requests_status ON requests (status)');

  await knex.schema.createTable('request_versions', (t) => {
    t.integer('request_id').notNullable().references('id').inTable('requests').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.jsonb('data').notNullable();
    t.string('submitted_by', 100).notNullable();
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.primary(['request_id', 'version']);
  });

  await knex.schema.createTable('request_editors', (t) => {
    t.integer('request_id').notNullable().references('id').inTable('requests').onDelete('CASCADE');
    t.string('uid', 100).notNullable();
    t.string('name', 200).notNullable();
    t.string('email', 200);
    t.integer('position').notNullable();
    t.timestamp('confirmed_at', { useTz: true });
    t.primary(['request_id', 'uid']);
  });

  /** Which version of a request a decider last looked at, to show what changed since. */
  await knex.schema.createTable('request_views', (t) => {
    t.integer('request_id').notNullable().references('id').inTable('requests').onDelete('CASCADE');
    t.string('uid', 100).notNullable();
    t.integer('version').notNullable();
    t.integer('previous_version'); // the version seen before this one: its diff stays visible
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.primary(['request_id', 'uid']);
  });

  await knex.schema.createTable('workflow_instances', (t) => {
    t.increments('id').primary();
    t.integer('request_id').notNullable().unique().references('id').inTable('requests').onDelete('CASCADE');
    t.integer('definition_id').notNullable().references('id').inTable('workflow_definitions');
    t.string('status', 20).notNullable();
    t.jsonb('state').notNullable(); // the core's Instance
    t.integer('revision').notNullable().defaultTo(0);
    t.timestamps(true, true);
  });
  await knex.raw('CREATE INDEX workflow_instances_status ON workflow_instances (status)');

  await knex.schema.createTable('decisions', (t) => {
    t.increments('id').primary();
    t.integer('request_id').notNullable().references('id').inTable('requests').onDelete('CASCADE');
    t.string('step_id', 60).notNullable();
    t.integer('version').notNullable(); // the submission decided on
    t.string('outcome', 20).notNullable(); // approved | returned | rejected
    t.string('actor_uid', 100).notNullable();
    t.string('actor_name', 200).notNullable();
    t.string('on_behalf_of', 100);
    t.text('comment');
    t.timestamp('decided_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('substitutions', (t) => {
    t.increments('id').primary();
    t.string('principal_uid', 100).notNullable();
    t.string('principal_name', 200).notNullable();
    t.string('deputy_uid', 100).notNullable();
    t.string('deputy_name', 200).notNullable();
    t.date('starts_on').notNullable();
    t.date('ends_on').notNullable();
    t.string('created_by', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw('ALTER TABLE substitutions ADD CONSTRAINT substitutions_range CHECK (ends_on >= starts_on)');
  await knex.raw('ALTER TABLE substitutions ADD CONSTRAINT substitutions_not_self CHECK (principal_uid <> deputy_uid)');

  await knex.schema.createTable('outbox', (t) => {
    t.increments('id').primary();
    t.string('recipient_uid', 100);
    t.string('recipient_email', 200).notNullable();
    t.string('template', 60).notNullable();
    t.string('locale', 5).notNullable().defaultTo('de');
    t.string('subject', 300).notNullable();
    t.text('body').notNullable();
    t.integer('request_id');
    t.integer('presence_id');
    t.string('status', 10).notNullable().defaultTo('pending'); // pending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.string('dedupe_key', 200).unique(); // the same reminder is queued only once
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
  });
  await knex.raw("ALTER TABLE outbox ADD CONSTRAINT outbox_status CHECK (status IN ('pending','sent','failed'))");
  await knex.raw('CREATE INDEX outbox_due ON outbox (status, next_attempt_at)');

  /** One row per scheduled job: whoever holds the lease runs it, on exactly one instance. */
  await knex.schema.createTable('job_leases', (t) => {
    t.string('job', 60).primary();
    t.string('holder', 100);
    t.timestamp('leased_until', { useTz: true }).notNullable();
    t.timestamp('last_run_at', { useTz: true });
  });

  await knex.schema.createTable('history', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.string('actor_uid', 100); // null: the system (scheduler)
    t.string('actor_name', 200);
    t.string('on_behalf_of', 100);
    t.string('action', 60).notNullable();
    t.string('entity_type', 30).notNullable();
    t.string('entity_id', 60).notNullable();
    t.integer('request_id');
    t.integer('presence_id');
    t.text('comment');
    t.jsonb('changes'); // { field: { before, after } }
  });
  await knex.raw('CREATE INDEX history_request ON history (request_id)');
  await knex.raw('CREATE INDEX history_presence ON history (presence_id)');
  await knex.raw('CREATE INDEX history_entity ON history (entity_type, entity_id)');
  // Append-only in the database itself, not only in code.
  await knex.raw(`CREATE FUNCTION history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`);
  await knex.raw(
    'CREATE TRIGGER history_no_update_delete BEFORE UPDATE OR DELETE ON history FOR EACH ROW EXECUTE FUNCTION history_is_append_only()',
  );
  await knex.raw(
    'CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only()',
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'history',
    'job_leases',
    'outbox',
    'substitutions',
    'decisions',
    'workflow_instances',
    'request_views',
    'request_editors',
    'request_versions',
    'requests',
    'workflow_definitions',
    'presence_editors',
    'presences',
    'platforms',
    'org_unit_heads',
    'org_units',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP FUNCTION IF EXISTS history_is_append_only()');
}
