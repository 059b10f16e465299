import type { Knex } from 'knex';

/**
 * A small register with known numbers for the process figures (expectations worked out by hand
 * in figures.test.ts). Period under test: 1 January to 30 June 2026; "now": 15 July 2026.
 */
export const NOW = new Date('2026-07-15T10:00:00.000Z');

export async function seedFigures(db: Knex) {
  const unit = async (code: string, name: string, kind: string, parent: number | null, sort = 0) =>
    (
      await db('org_units')
        .insert({ code, name, kind, parent_id: parent, sort_order: sort })
        .returning<Array<{ id: number }>>('id')
    )[0]!.id;
  const d1 = await unit('FX-I', 'Dezernat I', 'dezernat', null, 1);
  const u11 = await unit('FX-11', 'Fachbereich A', 'fachbereich', d1);
  const u111 = await unit('FX-111', 'Bereich A1', 'bereich', u11);
  const d2 = await unit('FX-II', 'Dezernat II', 'dezernat', null, 2);
  const u21 = await unit('FX-21', 'Fachbereich B', 'fachbereich', d2);

  // the central presence (unit HDE, in no Dezernat): active since mid-2025
  await db('presences')
    .where({ slug: 'hannover-de-facebook' })
    .update({ published_at: new Date('2025-06-01T10:00:00Z'), review_overdue: false });
  let n = 0;
  const presence = async (
    unitId: number,
    platform: string,
    published: string,
    opts: { closed?: string; overdue?: boolean } = {},
  ) => {
    n += 1;
    await db('presences').insert({
      slug: `figures-${n}`,
      platform_key: platform,
      account_id: `figures${n}`,
      url: `https://www.${platform}.com/figures${n}`,
      name: `Figures ${n}`,
      org_unit_id: unitId,
      status: opts.closed ? 'closed' : 'active',
      published_at: new Date(published),
      closed_at: opts.closed ? new Date(opts.closed) : null,
      close_reason: opts.closed ? 'Aufgabe beendet' : null,
      review_overdue: opts.overdue ?? false,
    });
  };
  await presence(u111, 'facebook', '2025-12-10T10:00:00Z', { overdue: true }); // P1
  await presence(u11, 'instagram', '2026-02-15T10:00:00Z'); // P2
  await presence(u21, 'facebook', '2026-01-20T10:00:00Z', { closed: '2026-04-10T10:00:00Z' }); // P3
  await presence(u21, 'instagram', '2026-05-05T10:00:00Z', { overdue: true }); // P4
  await presence(u21, 'facebook', '2026-08-01T10:00:00Z'); // P5: after the period

  const definition = await db('workflow_definitions').where({ key: 'dienstanweisung' }).first<{ id: number }>('id');
  const request = async (
    title: string,
    status: string,
    opts: { submitted?: string; finished?: string; steps?: Record<string, unknown> } = {},
  ) => {
    const [row] = await db('requests')
      .insert({
        kind: 'new',
        author_uid: 'redaktion',
        author_name: 'Redaktion',
        org_unit_id: u11,
        status,
        title,
        data: JSON.stringify({ orgUnit: 'FX-11' }),
        version: 1,
        submitted_at: opts.submitted ? new Date(opts.submitted) : null,
        finished_at: opts.finished ? new Date(opts.finished) : null,
      })
      .returning<Array<{ id: number }>>('id');
    const id = row!.id;
    if (opts.submitted)
      await db('request_versions').insert({
        request_id: id,
        version: 1,
        data: JSON.stringify({}),
        submitted_by: 'redaktion',
        submitted_at: new Date(opts.submitted),
      });
    if (opts.steps)
      await db('workflow_instances').insert({
        request_id: id,
        definition_id: definition.id,
        status,
        state: JSON.stringify({
          status,
          authorUid: 'redaktion',
          editorUids: ['redaktion', 'redaktion2'],
          unit: 'FX-11',
          // every step of the definition has a status, as the engine keeps it
          steps: {
            unit_head: { state: 'waiting' },
            communications: { state: 'waiting' },
            data_protection: { state: 'waiting' },
            hannoverde: { state: 'waiting' },
            ...opts.steps,
          },
          pausedSteps: [],
          submissions: 1,
        }),
      });
    return id;
  };
  const opened = (requestId: number, step: string, at: string) =>
    db('history').insert({
      at: new Date(at),
      action: 'workflow.step_opened',
      entity_type: 'request',
      entity_id: String(requestId),
      request_id: requestId,
      changes: JSON.stringify({ step: { before: null, after: step } }),
    });
  const decided = (requestId: number, step: string, outcome: string, at: string, comment: string | null = null) =>
    db('decisions').insert({
      request_id: requestId,
      step_id: step,
      version: 1,
      outcome,
      actor_uid: 'x',
      actor_name: 'X',
      comment,
      decided_at: new Date(at),
    });

  // R1: submitted 1 March, published 10 March (9 days); unit head 1 day, communications 3 days
  const r1 = await request('R1', 'published', { submitted: '2026-03-01T12:00:00Z', finished: '2026-03-10T12:00:00Z' });
  await opened(r1, 'unit_head', '2026-03-01T12:00:00Z');
  await decided(r1, 'unit_head', 'approved', '2026-03-02T12:00:00Z');
  await opened(r1, 'communications', '2026-03-02T12:00:00Z');
  await decided(r1, 'communications', 'approved', '2026-03-05T12:00:00Z');
  // R2: submitted 1 April, published 20 April (19 days); unit head 3 days
  const r2 = await request('R2', 'published', { submitted: '2026-04-01T12:00:00Z', finished: '2026-04-20T12:00:00Z' });
  await opened(r2, 'unit_head', '2026-04-01T12:00:00Z');
  await decided(r2, 'unit_head', 'approved', '2026-04-04T12:00:00Z');
  // R3: published after the period: counts nowhere
  const r3 = await request('R3', 'published', { submitted: '2026-06-25T12:00:00Z', finished: '2026-07-05T12:00:00Z' });
  await opened(r3, 'unit_head', '2026-06-25T12:00:00Z');
  await decided(r3, 'unit_head', 'approved', '2026-07-02T12:00:00Z');
  // R4: returned by the unit head after 5 days, reopened, approved 2 days after the reopening
  const r4 = await request('R4', 'in_review', { submitted: '2026-05-01T00:00:00Z', steps: {} });
  await opened(r4, 'unit_head', '2026-05-01T00:00:00Z');
  await decided(r4, 'unit_head', 'returned', '2026-05-06T00:00:00Z', 'Bitte Zielgruppe ergänzen.');
  await opened(r4, 'unit_head', '2026-05-10T00:00:00Z');
  await decided(r4, 'unit_head', 'approved', '2026-05-12T00:00:00Z');
  // R5: rejected by communications after 7 days
  const r5 = await request('R5', 'rejected', { submitted: '2026-06-01T00:00:00Z', finished: '2026-06-08T00:00:00Z' });
  await opened(r5, 'communications', '2026-06-01T00:00:00Z');
  await decided(r5, 'communications', 'rejected', '2026-06-08T00:00:00Z', 'Doppelt zum zentralen Auftritt.');

  // in review now: communications open twice (both overdue, one escalated), data protection open once
  await request('R6', 'in_review', {
    submitted: '2026-07-01T00:00:00Z',
    steps: {
      unit_head: { state: 'approved' },
      communications: { state: 'open', openedAt: '2026-07-02T00:00:00Z', remindedAt: '2026-07-09T00:00:00Z' },
      data_protection: { state: 'open', openedAt: '2026-07-02T00:00:00Z' },
    },
  });
  await request('R7', 'in_review', {
    submitted: '2026-06-20T00:00:00Z',
    steps: {
      unit_head: { state: 'approved' },
      communications: {
        state: 'open',
        openedAt: '2026-06-22T00:00:00Z',
        remindedAt: '2026-06-29T00:00:00Z',
        escalatedAt: '2026-07-06T00:00:00Z',
      },
      data_protection: { state: 'approved' },
    },
  });
  // returned: its open step is not "in progress"
  await request('R8', 'returned', {
    submitted: '2026-06-20T00:00:00Z',
    steps: { unit_head: { state: 'open', openedAt: '2026-06-21T00:00:00Z' } },
  });
}
