import type { Knex } from 'knex';
import { DIENSTANWEISUNG_V1, AENDERUNG_V1, EDITOR_CHANGE_V1 } from '../src/workflow/default-definitions';
import { DEFAULT_PLATFORMS } from '../src/registry/platforms';

/**
 * Reference data every installation needs: the directive's workflow definitions, the
 * platform catalogue (Facebook enabled, others present but disabled) and the central
 * presence facebook.com/Hannover.de run by Hannover.de Internet GmbH (council paper 1112/2013).
 */
export async function up(knex: Knex): Promise<void> {
  for (const definition of [DIENSTANWEISUNG_V1, AENDERUNG_V1, EDITOR_CHANGE_V1]) {
    await knex('workflow_definitions').insert({
      key: definition.key,
      version: definition.version,
      definition: JSON.stringify(definition),
      created_by: 'migration',
    });
  }
  for (const p of DEFAULT_PLATFORMS) {
    await knex('platforms').insert({
      key: p.key,
      name: p.name,
      enabled: p.enabled,
      sort_order: p.sortOrder,
      rules: JSON.stringify(p.rules),
    });
  }
  const [unit] = await knex('org_units')
    .insert({
      code: 'HDE',
      name: 'Hannover.de Internet GmbH',
      short_name: 'Hannover.de',
      kind: 'stelle',
      hannover_de_url: 'https://www.hannover.de/',
      sort_order: -1,
    })
    .returning<Array<{ id: number }>>('id');
  if (!unit) throw new Error('org unit HDE was not inserted');
  const now = new Date();
  await knex('presences').insert({
    slug: 'hannover-de-facebook',
    platform_key: 'facebook',
    account_id: 'hannover.de',
    url: 'https://www.facebook.com/hannover.de',
    name: 'Hannover.de',
    description:
      'Der gemeinsame Auftritt von Landeshauptstadt und Region Hannover, betrieben von der Hannover.de Internet GmbH: Nachrichten, Veranstaltungen und Service aus Hannover.',
    org_unit_id: unit.id,
    hannover_de_url: 'https://www.hannover.de/',
    status: 'active',
    central: true,
    published_at: now,
    last_confirmed_at: now,
    owner: 'Hannover.de Internet GmbH',
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('presences').where({ slug: 'hannover-de-facebook' }).delete();
  await knex('org_units').where({ code: 'HDE' }).delete();
  await knex('platforms').delete();
  await knex('workflow_definitions').delete();
}
