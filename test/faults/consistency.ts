import type { Knex } from 'knex';

/**
 * "Nothing half-written": what must hold in the register after any fault. Returns the
 * problems found (empty: consistent).
 *  - every request's status equals its workflow instance's status;
 *  - every decision has its history entry and vice versa (per request and outcome);
 *  - no step of a submission was decided twice;
 *  - every step the instance shows as decided has its decision row, by that person;
 *  - every published request has an active (or since closed) presence, and each presence
 *    was published once;
 *  - every approved first step queued the mails to the next steps (same transaction).
 */
export async function consistencyProblems(db: Knex, opts: { requestIds?: number[] } = {}): Promise<string[]> {
  const problems: string[] = [];
  const scope = <T extends Knex.QueryBuilder>(q: T, column = 'request_id') =>
    opts.requestIds ? q.whereIn(column, opts.requestIds) : q;

  const requests: Array<{ id: number; status: string; presence_id: number | null; version: number }> = await scope(
    db('requests').select('id', 'status', 'presence_id', 'version'),
    'id',
  );
  const instances = new Map<
    number,
    { status: string; state: { steps: Record<string, { state: string; decidedBy?: string }> } }
  >(
    (await scope(db('workflow_instances').select('request_id', 'status', 'state'))).map(
      (r: { request_id: number; status: string; state: unknown }) => [
        r.request_id,
        { status: r.status, state: (typeof r.state === 'string' ? JSON.parse(r.state) : r.state) as never },
      ],
    ),
  );
  const decisions: Array<{ request_id: number; step_id: string; version: number; outcome: string; actor_uid: string }> =
    await scope(db('decisions').select('request_id', 'step_id', 'version', 'outcome', 'actor_uid'));
  const history: Array<{ request_id: number; action: string }> = await scope(
    db('history')
      .whereIn('action', ['workflow.approved', 'workflow.returned', 'workflow.rejected'])
      .select('request_id', 'action'),
  );

  for (const r of requests) {
    const inst = instances.get(r.id);
    if (r.status === 'draft') {
      if (inst) problems.push(`request ${r.id}: draft with a workflow instance`);
      continue;
    }
    if (!inst) {
      problems.push(`request ${r.id}: status ${r.status} but no workflow instance`);
      continue;
    }
    if (inst.status !== r.status)
      problems.push(`request ${r.id}: request.status=${r.status}, instance.status=${inst.status}`);
    if ((inst.state as unknown as { status: string }).status !== r.status)
      problems.push(`request ${r.id}: instance state says ${(inst.state as unknown as { status: string }).status}`);
    const mine = decisions.filter((d) => d.request_id === r.id);
    for (const outcome of ['approved', 'returned', 'rejected']) {
      const d = mine.filter((x) => x.outcome === outcome).length;
      const h = history.filter((x) => x.request_id === r.id && x.action === `workflow.${outcome}`).length;
      if (d !== h) problems.push(`request ${r.id}: ${d} ${outcome} decisions but ${h} history entries`);
    }
    const seen = new Set<string>();
    for (const d of mine) {
      const key = `${d.step_id}@${d.version}`;
      if (seen.has(key)) problems.push(`request ${r.id}: step ${d.step_id} of submission ${d.version} decided twice`);
      seen.add(key);
    }
    for (const [stepId, st] of Object.entries(inst.state.steps)) {
      if (!['approved', 'returned', 'rejected'].includes(st.state) || !st.decidedBy) continue;
      if (!mine.some((d) => d.step_id === stepId && d.outcome === st.state && d.actor_uid === st.decidedBy)) {
        problems.push(`request ${r.id}: step ${stepId} is ${st.state} by ${st.decidedBy} without a decision row`);
      }
    }
    if (r.status === 'published' && !r.presence_id) problems.push(`request ${r.id}: published without a presence`);
    if (inst.state.steps.unit_head?.state === 'approved' && r.version === 1) {
      // queued to the roles (delivery expands them from the directory groups)
      const next = await db('outbox')
        .where({ request_id: r.id, template: 'step_waiting' })
        .whereIn('recipient_role', ['communications', 'data_protection'])
        .count({ n: '*' })
        .first();
      if (Number(next?.n ?? 0) < 2)
        problems.push(`request ${r.id}: step 1 approved but the next steps were not notified`);
    }
  }
  const slugs = await db('presences')
    .groupBy('request_id')
    .whereNotNull('request_id')
    .select('request_id')
    .count({ n: '*' });
  for (const s of slugs as Array<{ request_id: number; n: string | number }>) {
    if (Number(s.n) > 1 && (!opts.requestIds || opts.requestIds.includes(s.request_id)))
      problems.push(`request ${s.request_id}: published ${s.n} times`);
  }
  return problems;
}
