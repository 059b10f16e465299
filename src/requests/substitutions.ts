import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { HttpError, notFound } from '../web/errors';
import { pathId, type FieldError } from '../web/forms';
import { recordHistory } from '../audit/history';
import { berlinDay } from '../policy/actors';
import { LIMITS, isCalendarDate as isDate, isoDay } from '../limits';
import { mayEndSubstitution, mayNameDeputiesForOthers, whereSubstitutionVisible } from '../policy/access';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * What the form holds: the chosen deputy (a user id, carried in a hidden field once chosen),
 * the people search's text, the dates (ISO; a day typed as TT.MM.JJJJ is read as such) and,
 * for administrators, the person deputised for.
 */
interface Values {
  vertretung: string;
  vertretungSuche: string;
  von: string;
  bis: string;
  fuer: string;
}

function readValues(body: Record<string, unknown> | undefined): Values {
  return {
    vertretung: str(body?.vertretung).toLowerCase(),
    vertretungSuche: str(body?.vertretungSuche),
    von: isoDay(str(body?.von)),
    bis: isoDay(str(body?.bis)),
    fuer: str(body?.fuer).toLowerCase(),
  };
}

/** The search field: errors about the deputy stand there, the summary links to it. */
const SEARCH = 'vertretungSuche';

/**
 * Deputies: a person names someone who decides their tasks for a date range. The deputy is
 * chosen with the directory search of the request form ("Suchen", then "übernehmen"), which
 * works without JavaScript: every button posts the whole form, which comes back with every
 * entry and lands on the deputy's section (#vertretung-wahl).
 */
export function substitutionRoutes(deps: { db: Knex; directory: Directory; clock: () => Date }) {
  const { db, directory, clock } = deps;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  interface ShowOptions {
    errors?: FieldError[];
    values?: Values;
    /** the deputy chosen (shown by name, with a way to change it) */
    chosen?: SessionUser;
    /** the people search's answer; undefined: no search shown */
    results?: SessionUser[];
    saved?: boolean;
  }

  async function show(req: Request, res: Response, opts: ShowOptions = {}, status = 200) {
    const me = user(req);
    const isAdmin = mayNameDeputiesForOthers(me);
    const today = berlinDay(clock());
    const q = db('substitutions').whereNull('revoked_at').where('ends_on', '>=', today).orderBy('starts_on');
    whereSubstitutionVisible(q, me);
    // "Bis" starts empty: a deputy that silently ends today helps nobody on holiday
    const values = opts.values ?? { vertretung: '', vertretungSuche: '', von: today, bis: '', fuer: '' };
    await renderPage(
      res,
      'requests/substitutions',
      {
        title: res.locals.t('requests.substitution.title'),
        substitutions: await q,
        errors: opts.errors ?? [],
        values,
        chosen: opts.chosen,
        results: opts.results,
        principalUid: isAdmin && values.fuer ? values.fuer : me.uid,
        saved: opts.saved ?? req.query.gespeichert === '1',
        isAdmin,
      },
      status,
    );
  }

  router.get('/', (req, res) => show(req, res));

  router.post('/', async (req, res) => {
    const me = user(req);
    const values = readValues(req.body);
    const take = str(req.body?.uebernehmen).toLowerCase();
    const aktion = str(req.body?.aktion);
    const principalUid = mayNameDeputiesForOthers(me) && values.fuer ? values.fuer : me.uid;
    // a user id longer than the directory's (and the column's) is nobody: not even looked up
    const lookUp = (uid: string) =>
      uid.length > 0 && uid.length <= LIMITS.uid ? directory.findByUid(uid) : Promise.resolve(undefined);
    const search = (text: string) =>
      text ? directory.search(text.slice(0, LIMITS.search), 10) : Promise.resolve(undefined);

    /** The person for a chosen user id, or the error at the search field. */
    async function choose(uid: string): Promise<{ person: SessionUser } | { error: FieldError }> {
      if (!uid) return { error: { field: SEARCH, message: 'requests.substitution.error.missing' } };
      if (uid === principalUid) return { error: { field: SEARCH, message: 'requests.substitution.error.self' } };
      const person = await lookUp(uid);
      return person
        ? { person }
        : { error: { field: SEARCH, message: 'requests.substitution.error.unknown', params: { uid } } };
    }

    try {
      // "übernehmen": the person found becomes the deputy, or the search comes back with why not
      if (take) {
        const chosen = await choose(take);
        if ('person' in chosen)
          return await show(req, res, {
            values: { ...values, vertretung: chosen.person.uid, vertretungSuche: '' },
            chosen: chosen.person,
          });
        return await show(
          req,
          res,
          {
            values: { ...values, vertretung: '' },
            errors: [chosen.error],
            results: await search(values.vertretungSuche),
          },
          400,
        );
      }
      // "Andere Person wählen": back to the search, the dates stay
      if (aktion === 'aendern')
        return await show(req, res, { values: { ...values, vertretung: '', vertretungSuche: '' } });
      if (aktion === 'suchen') {
        const kept = { ...values, vertretung: '' };
        if (!values.vertretungSuche)
          return await show(
            req,
            res,
            { values: kept, errors: [{ field: SEARCH, message: 'requests.substitution.error.searchEmpty' }] },
            400,
          );
        return await show(req, res, { values: kept, results: await search(values.vertretungSuche) });
      }

      // "Vertretung eintragen" (any other button value is the same)
      const errors: FieldError[] = [];
      const principal = principalUid === me.uid ? me : await lookUp(principalUid);
      if (!principal) errors.push({ field: 'fuer', message: 'requests.substitution.error.principal' });
      const chosen = await choose(values.vertretung);
      let deputy: SessionUser | undefined;
      let results: SessionUser[] | undefined;
      if ('person' in chosen) deputy = chosen.person;
      else {
        errors.push(chosen.error);
        // an id that is nobody stays visible in the search box; a typed search is answered
        if (values.vertretung && !values.vertretungSuche) values.vertretungSuche = values.vertretung;
        values.vertretung = '';
        results = await search(values.vertretungSuche);
      }
      if (!values.von) errors.push({ field: 'von', message: 'requests.substitution.error.fromMissing' });
      else if (!isDate(values.von)) errors.push({ field: 'von', message: 'requests.substitution.error.date' });
      if (!values.bis) errors.push({ field: 'bis', message: 'requests.substitution.error.toMissing' });
      else if (!isDate(values.bis)) errors.push({ field: 'bis', message: 'requests.substitution.error.date' });
      else if (isDate(values.von) && values.bis < values.von)
        errors.push({ field: 'bis', message: 'requests.substitution.error.range' });
      if (errors.length > 0 || !deputy || !principal)
        return await show(req, res, { errors, values, chosen: deputy, results }, 400);

      await store(me, principal, deputy, values);
      res.redirect(303, res.locals.url('/intern/vertretung?gespeichert=1'));
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      // the directory is down: the form comes back with everything typed and says so
      const kept = { ...values, vertretung: '', vertretungSuche: values.vertretungSuche || take || values.vertretung };
      return show(
        req,
        res,
        { errors: [{ field: SEARCH, message: 'requests.error.directoryDown' }], values: kept },
        503,
      );
    }
  });

  async function store(me: SessionUser, principal: SessionUser, deputy: SessionUser, values: Values) {
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
        .insert({
          uid: principal.uid,
          name: principal.name,
          email: principal.email ?? null,
          unit: principal.unit ?? null,
          roles: JSON.stringify(principal.roles),
          seen_at: now,
        })
        .onConflict('uid')
        .merge();
      await recordHistory(trx, {
        at: now,
        actorUid: me.uid,
        actorName: me.name,
        action: 'substitution.created',
        entityType: 'substitution',
        entityId: row.id,
        changes: {
          deputy: { before: null, after: deputy.uid },
          principal: { before: null, after: principal.uid },
          range: { before: null, after: `${values.von}..${values.bis}` },
        },
      });
    });
  }

  router.post('/:id/beenden', async (req, res) => {
    const me = user(req);
    const row = await db('substitutions')
      .where({ id: pathId(req.params.id) })
      .first();
    if (!row) throw notFound();
    if (!mayEndSubstitution(me, row)) throw new HttpError(403);
    const now = clock();
    await db.transaction(async (trx) => {
      await trx('substitutions').where({ id: row.id }).update({ revoked_at: now });
      await recordHistory(trx, {
        at: now,
        actorUid: me.uid,
        actorName: me.name,
        action: 'substitution.revoked',
        entityType: 'substitution',
        entityId: row.id,
      });
    });
    res.redirect(303, res.locals.url('/intern/vertretung'));
  });
  return router;
}
