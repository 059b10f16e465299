import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { HttpError, notFound } from '../web/errors';
import { fieldErrors, pathId, type FieldError } from '../web/forms';
import { formText, noticeFlags, parseQuery } from '../web/input';
import { LIMITS, isCalendarDate, isoDay } from '../limits';
import { mayEndSubstitution, mayNameDeputiesForOthers } from '../policy/access';
import type { SubstitutionService } from './substitution-store';

/**
 * What the form holds: the chosen deputy (a user id, carried in a hidden field once chosen),
 * the people search's text, the dates (ISO; a day typed as TT.MM.JJJJ is read as such) and,
 * for administrators, the person deputised for; and the button pressed ("übernehmen" carries
 * the user id of a person found).
 */
const formSchema = z.object({
  vertretung: formText.transform((v) => v.toLowerCase()),
  vertretungSuche: formText,
  von: formText.transform(isoDay),
  bis: formText.transform(isoDay),
  fuer: formText.transform((v) => v.toLowerCase()),
  uebernehmen: formText.transform((v) => v.toLowerCase()),
  aktion: formText,
});
type Values = Omit<z.output<typeof formSchema>, 'uebernehmen' | 'aktion'>;

/** The date range: both days required, real calendar days, the end not before the start. */
const rangeSchema = z
  .object({
    von: z
      .string()
      .min(1, 'requests.substitution.error.fromMissing')
      .refine(isCalendarDate, 'requests.substitution.error.date'),
    bis: z
      .string()
      .min(1, 'requests.substitution.error.toMissing')
      .refine(isCalendarDate, 'requests.substitution.error.date'),
  })
  .refine((r) => r.bis >= r.von, { path: ['bis'], message: 'requests.substitution.error.range' });

const listNotices = noticeFlags('gespeichert');

/** The search field: errors about the deputy stand there, the summary links to it. */
const SEARCH = 'vertretungSuche';

/**
 * Deputies: a person names someone who decides their tasks for a date range. The deputy is
 * chosen with the directory search of the request form ("Suchen", then "übernehmen"), which
 * works without JavaScript: every button posts the whole form, which comes back with every
 * entry and lands on the deputy's section (#vertretung-wahl).
 */
export function substitutionRoutes(deps: { substitutions: SubstitutionService; directory: Directory }) {
  const { substitutions, directory } = deps;
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
    const today = substitutions.today();
    // "Bis" starts empty: a deputy that silently ends today helps nobody on holiday
    const values = opts.values ?? { vertretung: '', vertretungSuche: '', von: today, bis: '', fuer: '' };
    await renderPage(
      res,
      'requests/substitutions',
      {
        title: res.locals.t('requests.substitution.title'),
        substitutions: await substitutions.current(me),
        errors: opts.errors ?? [],
        values,
        chosen: opts.chosen,
        results: opts.results,
        principalUid: isAdmin && values.fuer ? values.fuer : me.uid,
        saved: opts.saved ?? parseQuery(listNotices, req.query).gespeichert === '1',
        isAdmin,
      },
      status,
    );
  }

  router.get('/', (req, res) => show(req, res));

  router.post('/', async (req, res) => {
    const me = user(req);
    const { uebernehmen: take, aktion, ...values } = formSchema.parse(req.body ?? {});
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
      const range = rangeSchema.safeParse({ von: values.von, bis: values.bis });
      if (!range.success) errors.push(...fieldErrors(range.error));
      if (errors.length > 0 || !deputy || !principal)
        return await show(req, res, { errors, values, chosen: deputy, results }, 400);

      await substitutions.create(me, principal, deputy, values);
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

  router.post('/:id/beenden', async (req, res) => {
    const me = user(req);
    const row = await substitutions.find(pathId(req.params.id));
    if (!row) throw notFound();
    if (!mayEndSubstitution(me, row)) throw new HttpError(403);
    await substitutions.end(me, row.id);
    res.redirect(303, res.locals.url('/intern/vertretung'));
  });
  return router;
}
