import type { Knex } from 'knex';
import { DEFAULT_DEFINITIONS } from '../src/workflow/default-definitions';
import type { WorkflowDefinition } from '../src/workflow/definition';
import { waitsOf } from '../src/requests/waits';

/**
 * The deciders' desk (#15):
 * - `request_waits`: the open steps of requests in review, one row each, so that task lists
 *   filter, sort and page in SQL (kept beside the instance by src/requests/waits.ts);
 * - `decisions.checklist` (ticked and unticked item ids) and `decisions.sections` (the request
 *   sections a return or rejection points to);
 * - the workflows' next versions with per-step sections and checklists. Each key's newest
 *   version gets the shipped sections and checklists on its steps that have none (same step id),
 *   so an administrator's own version keeps its changes; requests in flight keep their version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('request_waits', (t) => {
    t.integer('request_id').notNullable().references('id').inTable('requests').onDelete('CASCADE');
    t.string('step_id', 60).notNullable();
    t.string('decider_kind', 20).notNullable(); // unit_head | role
    t.string('decider_role', 40);
    t.string('unit_code', 40).notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.primary(['request_id', 'step_id']);
  });
  await knex.raw('CREATE INDEX request_waits_role ON request_waits (decider_role, opened_at)');
  await knex.raw('CREATE INDEX request_waits_unit ON request_waits (unit_code, opened_at)');
  await knex.raw('CREATE INDEX request_waits_due ON request_waits (due_at)');
  await knex.raw('CREATE INDEX requests_org_unit ON requests (org_unit_id)');

  await knex.schema.alterTable('decisions', (t) => {
    t.jsonb('checklist'); // { checked: [ids], unchecked: [ids] }
    t.jsonb('sections'); // [section numbers]
  });

  const instances: Array<{ request_id: number; state: never; definition: WorkflowDefinition }> = await knex(
    'workflow_instances as w',
  )
    .join('workflow_definitions as d', 'd.id', 'w.definition_id')
    .where('w.status', 'in_review')
    .select('w.request_id', 'w.state', 'd.definition');
  for (const i of instances) {
    const rows = waitsOf(i.request_id, i.definition, i.state);
    if (rows.length > 0) await knex('request_waits').insert(rows);
  }

  for (const shipped of DEFAULT_DEFINITIONS) {
    const newest = await knex('workflow_definitions')
      .where({ key: shipped.key })
      .orderBy('version', 'desc')
      .first<{ version: number; definition: WorkflowDefinition } | undefined>('version', 'definition');
    if (!newest) continue;
    const current = newest.definition;
    let added = false;
    const steps = current.steps.map((step) => {
      const model = shipped.steps.find((s) => s.id === step.id);
      if (!model) return step;
      const next = { ...step };
      if (next.sections === undefined && model.sections) {
        next.sections = [...model.sections];
        added = true;
      }
      if (next.checklist === undefined && model.checklist) {
        next.checklist = structuredClone([...model.checklist]);
        added = true;
      }
      return next;
    });
    if (!added) continue;
    const version = Number(newest.version) + 1;
    await knex('workflow_definitions').insert({
      key: shipped.key,
      version,
      definition: JSON.stringify({ ...current, version, steps }),
      created_by: 'migration',
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex('workflow_definitions')
    .where({ created_by: 'migration' })
    .whereNotIn('id', knex('workflow_instances').select('definition_id'))
    .where('version', '>', 1)
    .delete();
  await knex.schema.alterTable('decisions', (t) => {
    t.dropColumn('checklist');
    t.dropColumn('sections');
  });
  await knex.raw('DROP INDEX requests_org_unit');
  await knex.schema.dropTable('request_waits');
}
