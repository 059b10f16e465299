import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { validForm } from '../requests/fixtures';
import { expectRedirect, post, text, type Agent } from './helpers';

let ctx: TestContext;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  admin = await signIn(ctx.app, 'admin');
});
afterAll(() => ctx.close());

const W = '/intern/verwaltung/ablaeufe';

const V2_YAML = `# the directive, second version: longer deadlines, the staff council told earlier
key: dienstanweisung
version: 7
name:
  de: Antrag auf ein dienstliches Social-Media-Angebot
  en: Request for an official social-media presence
steps:
  - id: unit_head
    name: { de: Leitung der Organisationseinheit, en: Head of the organisational unit }
    decider: { kind: unit_head }
    after: []
    deadline: { remindAfterWorkingDays: 7, escalateAfterWorkingDays: 14, fallbackRole: communications }
  - id: communications
    name: { de: Presse- und Informationsamt, en: Press and Information Office }
    decider: { kind: role, role: communications }
    after: [unit_head]
    notifyOnOpen: [staff_council]
  - id: data_protection
    name: { de: Datenschutz, en: Data protection }
    decider: { kind: role, role: data_protection }
    after: [unit_head]
    sections: [8, 2]
    checklist:
      - id: art26
        text: { de: Vereinbarung nach Art. 26 DSGVO liegt vor, en: Art. 26 GDPR agreement in place }
  - id: hannoverde
    name: { de: Redaktion Hannover.de, en: Hannover.de editorial team }
    decider: { kind: role, role: hannoverde }
    after: [communications, data_protection]
    requiresEditorConfirmation: true
    publishes: true
`;

async function fileRequest(agent: Agent, overrides: Record<string, string>) {
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm(overrides),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 1500)).toBe(303);
  return Number(/\/intern\/antraege\/(\d+)/.exec(res.headers.location as string)?.[1]);
}

const definitionOf = async (requestId: number) =>
  ctx.database
    .db('workflow_instances as i')
    .join('workflow_definitions as d', 'd.id', 'i.definition_id')
    .where('i.request_id', requestId)
    .first('d.key', 'd.version');

describe('workflow definitions', () => {
  it('draws a version as steps: decider, parallel stage, deadlines, notifications', async () => {
    const list = await admin.get(W).expect(200);
    expect(list.text).toContain('data-key="dienstanweisung"');
    const id = (await ctx.database.db('workflow_definitions').where({ key: 'dienstanweisung', version: 1 }).first('id'))
      .id;
    const page = await admin.get(`${W}/${id}`).expect(200);
    const html = page.text;
    expect(html).toMatch(
      /data-stage="1"[\s\S]*data-step="unit_head"[\s\S]*data-stage="2"[\s\S]*data-step="communications"[\s\S]*data-step="data_protection"[\s\S]*data-stage="3"[\s\S]*data-step="hannoverde"/,
    );
    expect(text(html)).toContain('Stufe 2: 2 Schritte parallel');
    expect(text(html)).toContain(
      'Erinnerung nach 5 Arbeitstagen, Eskalation an Kommunikation (Presse- und Informationsamt) nach 10 Arbeitstagen',
    );
    expect(html).toMatch(/data-fact="notify">Personalrat</);
    expect(html).toContain('data-fact="publishes"');
    expect(text(html)).toContain('Leitung der Organisationseinheit (oder Vertretung)');
    const en = await admin.get(`/en${W}/${id}`).expect(200);
    expect(text(en.text)).toContain('Stage 2: 2 steps in parallel');
  });

  it('uploads a YAML version as version 3; a request in flight keeps version 2, new ones get version 3', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const inFlight = await fileRequest(editor, {
      name: 'Stadtteilkultur',
      url: 'https://www.facebook.com/stadtteilkultur.hannover',
    });
    // version 2 came with the installation (sections and checklists, migration 0014)
    expect(await definitionOf(inFlight)).toEqual({ key: 'dienstanweisung', version: 2 });

    const res = await post(admin, `${W}/neu`, { definition: V2_YAML }, `${W}/neu`);
    const location = expectRedirect(res, /\/intern\/verwaltung\/ablaeufe\/\d+\?neu=1&angegeben=7/);
    const shown = await admin.get(location).expect(200);
    expect(text(shown.text)).toContain('Fassung 3 wurde gespeichert.');
    expect(text(shown.text)).toContain('In der Datei stand Fassung 7');
    const versions = await ctx.database.db('workflow_definitions').where({ key: 'dienstanweisung' }).orderBy('version');
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[2].definition.version).toBe(3);
    expect(versions[2].created_by).toBe('admin');
    // sections and checklists are part of what an administrator uploads
    expect(versions[2].definition.steps[2]).toMatchObject({
      id: 'data_protection',
      sections: [8, 2],
      checklist: [{ id: 'art26', text: { de: 'Vereinbarung nach Art. 26 DSGVO liegt vor' } }],
    });
    expect(await ctx.database.db('history').where({ action: 'workflow_definition.uploaded' }).first()).toMatchObject({
      actor_uid: 'admin',
      entity_id: String(versions[2].id),
      comment: 'dienstanweisung v3',
    });

    // the list shows every version, with the request in flight on version 2
    const list = await admin.get(W).expect(200);
    expect(list.text).toMatch(
      /data-version="2">[\s\S]*?<td class="kern-table__cell kern-table__cell--numeric">1<\/td>/,
    );

    // the request in flight goes on under version 2 ...
    const head = await signIn(ctx.app, 'leitung');
    const page = await head.get(`/intern/antraege/${inFlight}`).expect(200);
    const decided = await head
      .post(`/intern/antraege/${inFlight}/entscheidung`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), schritt: 'unit_head', entscheidung: 'approve', kommentar: '', fassung: '1' });
    expect(decided.status).toBe(303);
    expect(await definitionOf(inFlight)).toEqual({ key: 'dienstanweisung', version: 2 });
    const mails = await ctx.database.db('outbox').where({ request_id: inFlight, template: 'staff_council_notice' });
    expect(mails).toHaveLength(0); // v2 tells the staff council only at the last step

    // ... and a new request starts on version 3
    const fresh = await fileRequest(editor, {
      name: 'Kulturtreff',
      url: 'https://www.facebook.com/kulturtreff.hannover',
    });
    expect(await definitionOf(fresh)).toEqual({ key: 'dienstanweisung', version: 3 });
  });

  it('refuses invalid definitions with every error named and the text kept', async () => {
    const countBefore = (await ctx.database.db('workflow_definitions').count({ n: '*' }).first())?.n;

    const syntax = await post(
      admin,
      `${W}/neu`,
      { definition: 'key: dienstanweisung\nsteps:\n  - id: a\n   name: x\n' },
      `${W}/neu`,
    );
    expect(syntax.status).toBe(400);
    expect(text(syntax.text)).toMatch(/Kein gültiges YAML \(Zeile \d+\)/);
    expect(syntax.text).toContain('href="#feld-definition"');

    // shape errors: all of them at once
    const broken = V2_YAML.replace(
      'decider: { kind: role, role: data_protection }',
      'decider: { kind: role, role: mayor }',
    ).replace('name: { de: Datenschutz, en: Data protection }', 'name: { en: Data protection }');
    const schema = await post(admin, `${W}/neu`, { definition: broken }, `${W}/neu`);
    expect(schema.status).toBe(400);
    const page = text(schema.text);
    expect(page).toContain('steps[2].decider.role (step "data_protection")');
    expect(page).toContain('steps[2].name.de (step "data_protection"): required field is missing');
    expect(page).toContain('role: mayor'); // kept as typed
    expect((page.match(/<li><a class="kern-link" href="#feld-definition">Definition ungültig:/g) ?? []).length).toBe(2);

    // graph errors
    // a checklist item without its English text, a section the form does not have
    const review = await post(
      admin,
      `${W}/neu`,
      {
        definition: V2_YAML.replace('sections: [8, 2]', 'sections: [8, 12]').replace(
          'text: { de: Vereinbarung nach Art. 26 DSGVO liegt vor, en: Art. 26 GDPR agreement in place }',
          'text: { de: Vereinbarung nach Art. 26 DSGVO liegt vor }',
        ),
      },
      `${W}/neu`,
    );
    expect(review.status).toBe(400);
    expect(text(review.text)).toContain(
      'steps[2].sections[1] (step "data_protection"): must be a section number from 1 to 11',
    );
    expect(text(review.text)).toContain(
      'steps[2].checklist[0].text.en (step "data_protection"): required field is missing',
    );

    const graph = await post(
      admin,
      `${W}/neu`,
      { definition: V2_YAML.replace('after: [communications, data_protection]', 'after: [communications, legal]') },
      `${W}/neu`,
    );
    expect(graph.status).toBe(400);
    expect(text(graph.text)).toContain(
      'steps[3].after[1] (step "hannoverde"): step "hannoverde" waits for unknown step "legal"',
    );
    expect(text(graph.text)).toContain('after: [communications, legal]');

    const unknownKey = await post(
      admin,
      `${W}/neu`,
      { definition: V2_YAML.replace('key: dienstanweisung', 'key: erfunden') },
      `${W}/neu`,
    );
    expect(unknownKey.status).toBe(400);
    expect(text(unknownKey.text)).toContain(
      'Einen Ablauf „erfunden“ gibt es nicht. Vorhandene Abläufe: aenderung, dienstanweisung, redaktionswechsel.',
    );

    const json = await post(admin, `${W}/neu`, { definition: '{ "key": "dienstanweisung", "steps": [ }' }, `${W}/neu`);
    expect(json.status).toBe(400);
    expect(text(json.text)).toMatch(/Kein gültiges JSON \(Zeile 1, Spalte \d+\)/);

    const noPublish = JSON.stringify({
      key: 'aenderung',
      name: { de: 'Ä', en: 'C' },
      steps: [
        {
          id: 'communications',
          name: { de: 'K', en: 'C' },
          decider: { kind: 'role', role: 'communications' },
          after: [],
        },
      ],
    });
    const refused = await post(admin, `${W}/neu`, { definition: noPublish }, `${W}/neu`);
    expect(refused.status).toBe(400);
    expect(text(refused.text)).toContain('no step has "publishes": true');

    expect((await ctx.database.db('workflow_definitions').count({ n: '*' }).first())?.n).toBe(countBefore);
  });

  it('refuses a step id longer than a decision can record (it could never be decided)', async () => {
    const countBefore = (await ctx.database.db('workflow_definitions').count({ n: '*' }).first())?.n;
    const longId = `d${'a'.repeat(60)}`;
    const definition = V2_YAML.replace('- id: data_protection', `- id: ${longId}`).replace(
      'after: [communications, data_protection]',
      `after: [communications, ${longId}]`,
    );
    const res = await post(admin, `${W}/neu`, { definition }, `${W}/neu`);
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('must be at most 60 characters long');
    expect(text(res.text)).toContain(longId); // kept as typed
    expect((await ctx.database.db('workflow_definitions').count({ n: '*' }).first())?.n).toBe(countBefore);
  });

  it('accepts JSON too and prefills the upload form from an existing version', async () => {
    const base = await ctx.database.db('workflow_definitions').where({ key: 'redaktionswechsel' }).first();
    const form = await admin.get(`${W}/neu?von=${base.id}`).expect(200);
    expect(text(form.text)).toContain('key: redaktionswechsel');
    expect(form.text).not.toContain('version: 1');
    const json = JSON.stringify({ ...base.definition, version: undefined });
    expectRedirect(await post(admin, `${W}/neu`, { definition: json }, `${W}/neu`), /ablaeufe\/\d+\?neu=1$/);
    expect(
      (await ctx.database.db('workflow_definitions').where({ key: 'redaktionswechsel' }).max({ m: 'version' }).first())
        ?.m,
    ).toBe(3);
  });
});
