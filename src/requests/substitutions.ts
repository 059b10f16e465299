import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { HttpError, notFound } from '../web/errors';
import { pathId, type FieldError } from '../web/forms';
import { recordHistory } from '../audit/history';
import { berlinDay } from '../workflow/actors';

import { LIMITS, isCalendarDate as isDate } from '../web/limits';
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Deputies: a person names someone who decides their tasks for a date range. */
export function substitutionRoutes(deps: { db: Knex; directory: Directory; clock: () => Date }) {
  const { db, directory, clock } = deps;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  async function show(req: Request, res: Response, opts: { errors?: FieldError[]; values?: Record<string, string>; saved?: boolean } = {}, status = 200) {
    const me = user(req);
    const isAdmin = me.roles.includes('admin');
    const today = berlinDay(clock());
    const q = db('substitutions').whereNull('revoked_at').where('ends_on', '>=', today).orderBy('starts_on');
    if (!isAdmin) q.where((w) => w.where({ principal_uid: me.uid }).orWhere({ deputy_uid: me.uid }));
    await renderPage(
      res,
      'requests/substitutions',
      {
        title: res.locals.t('requests.substitution.title'),
        substitutions: await q,
        errors: opts.errors ?? [],
        values: opts.values ?? { vertretung: '', von: today, bis: today, fuer: '' },
        saved: opts.saved ?? req.query.gespeichert === '1',
        isAdmin,
      },
      status,
    );
  }

  router.get('/', (req, res) => show(req, res));

  router.post('/', async (req, res) => {
    const me = user(req);
    const values = { vertretung: str(req.body?.vertretung).toLowerCase(), von: str(req.body?.von), bis: str(req.body?.bis), fuer: str(req.body?.fuer).toLowerCase() };
    const errors: FieldError[] = [];
    const principalUid = me.roles.includes('admin') && values.fuer ? values.fuer : me.uid;
    let principal: SessionUser | undefined;
    let deputy: SessionUser | undefined;
    // a user id longer than the directory's (and the column's) is nobody: not even looked up
    const known = (uid: string) => uid.length > 0 && uid.length <= LIMITS.uid;
    try {
      principal = principalUid === me.uid ? me : known(principalUid) ? await directory.findByUid(principalUid) : undefined;
      deputy = known(values.vertretung) && values.vertretung !== principalUid ? await directory.findByUid(values.vertretung) : undefined;
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      return show(req, res, { errors: [{ field: 'vertretung', message: 'requests.error.directoryDown' }], values }, 503);
    }
    if (!principal) errors.push({ field: 'fuer', message: 'requests.substitution.error.deputy' });
    if (!deputy) errors.push({ field: 'vertretung', message: 'requests.substitution.error.deputy' });
    if (!isDate(values.von)) errors.push({ field: 'von', message: 'requests.substitution.error.date' });
    if (!isDate(values.bis)) errors.push({ field: 'bis', message: 'requests.substitution.error.date' });
    else if (isDate(values.von) && values.bis < values.von) errors.push({ field: 'bis', message: 'requests.substitution.error.range' });
    if (errors.length > 0 || !deputy || !principal) return show(req, res, { errors, values }, 400);
    const now = clock();
    await db.transaction(async (trx) => {
      const [row] = await trx('substitutions')
        .insert({
          principal_uid: principal.uid,
          principal_name: principal.name,
          deputy_uid: deputy.uid,
          deputy_name: deputy.name,
          starts_on: values.von,
          ends_on: values.bis,
          created_by: me.uid,
          created_at: now,
        })
        .returning('id');
      // the principal's roles must be known to act on their behalf
      await trx('people')
        .insert({ uid: principal.uid, name: principal.name, email: principal.email ?? null, unit: principal.unit ?? null, roles: JSON.stringify(principal.roles), seen_at: now })
        .onConflict('uid')
        .merge();
      await recordHistory(trx, {
        at: now,
        actorUid: me.uid,
        actorName: me.name,
        action: 'substitution.created',
        entityType: 'substitution',
        entityId: row.id,
        changes: { deputy: { before: null, after: deputy.uid }, principal: { before: null, after: principal.uid }, range: { before: null, after: `${values.von}..${values.bis}` } },
      });
    });
    res.redirect(303, res.locals.url('/intern/vertretung?gespeichert=1'));
  });

  router.post('/:id/beenden', async (req, res) => {
    const me = user(req);
    const row = await db('substitutions').where({ id: pathId(req.params.id) }).first();
    if (!row) throw notFound();
    if (row.principal_uid !== me.uid && !me.roles.includes('admin')) throw new HttpError(403);
    const now = clock();
    await db.transaction(async (trx) => {
      await trx('substitutions').where({ id: row.id }).update({ revoked_at: now });
      await recordHistory(trx, { at: now, actorUid: me.uid, actorName: me.name, action: 'substitution.revoked', entityType: 'substitution', entityId: row.id });
    });
    res.redirect(303, res.locals.url('/intern/vertretung'));
  });
  return router;
}
