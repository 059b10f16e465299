import { Router, type Request, type Response } from 'express';
import { csvDocument } from '../admin/csv';
import type { Catalogues } from '../i18n/keys';
import type { SessionUser } from '../directory/user';
import { maySeeFigures } from '../policy/access';
import { HttpError } from '../web/errors';
import { fieldErrors, single, type FieldError } from '../web/forms';
import { translator } from '../web/i18n';
import { renderPage } from '../web/render';
import { berlinIsoDay, datesFor } from '../web/dates';
import {
  FIGURE_KEYS,
  cellsOf,
  chartOf,
  csvOf,
  periodSchema,
  resolvePeriod,
  yearPeriod,
  type FigureKey,
  type FigureService,
  type Labels,
  type Period,
} from './figures';

const REPORT_FIGURES: readonly FigureKey[] = [
  'durchlaufzeiten',
  'aktiv-plattform',
  'aktiv-dezernat',
  'neu-geschlossen',
  'rueckgaben',
];

/**
 * /intern/auswertung: the process figures for a chosen period (GET form), each figure as CSV,
 * and the yearly report for the council (printable, German). Communications, data protection
 * and administrators (src/policy/access.ts maySeeFigures); everybody else gets 403.
 */
export function oversightRoutes(deps: { figures: FigureService; clock: () => Date; catalogues: Catalogues }) {
  const { figures, clock } = deps;
  const router = Router();
  const german: Labels = { t: translator('de', deps.catalogues), locale: 'de' };

  router.use((req, _res, next) => {
    if (!maySeeFigures(req.user as SessionUser)) return next(new HttpError(403));
    next();
  });

  const labels = (res: Response): Labels => ({
    t: res.locals.t,
    locale: res.locals.locale as Labels['locale'],
  });

  /** The period from the query; a bad one is a 400 with the form kept and each error named. */
  function periodOf(req: Request): { period?: Period; errors: FieldError[]; values: Record<string, string> } {
    const values = { von: single(req.query.von) ?? '', bis: single(req.query.bis) ?? '' };
    const parsed = periodSchema.safeParse(values);
    if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
    return { period: resolvePeriod(parsed.data, clock()), errors: [], values };
  }

  async function showIndex(
    req: Request,
    res: Response,
    extra: { reportErrors?: FieldError[]; jahr?: string } = {},
  ): Promise<void> {
    const { period, errors, values } = periodOf(req);
    const l = labels(res);
    const allErrors = [...errors, ...(extra.reportErrors ?? [])];
    const list = period ? await figures.figures(period, l) : [];
    await renderPage(
      res,
      'oversight/index',
      {
        title: l.t('oversight.title'),
        errors: allErrors,
        values: period && !values.von && !values.bis ? { von: period.from, bis: period.to } : values,
        period,
        query: period ? `?von=${period.from}&bis=${period.to}` : '',
        figures: list.map((f) => ({ ...f, svg: chartOf(f, l), cells: cellsOf(f, l) })),
        reasons: period ? await figures.reasons(period, l) : [],
        jahr: extra.jahr ?? String(Number(berlinIsoDay(clock()).slice(0, 4))),
      },
      allErrors.length ? 400 : 200,
    );
  }

  router.get('/', (req, res) => showIndex(req, res));

  router.get('/bericht', async (req, res) => {
    const raw = single(req.query.jahr)?.trim() ?? '';
    const thisYear = Number(berlinIsoDay(clock()).slice(0, 4));
    const year = raw === '' ? thisYear : /^\d{4}$/.test(raw) ? Number(raw) : NaN;
    if (!(year >= 2000 && year <= thisYear)) {
      req.query.von = undefined;
      req.query.bis = undefined;
      return showIndex(req, res, {
        reportErrors: [{ field: 'jahr', message: 'oversight.report.invalidYear' }],
        jahr: raw,
      });
    }
    const period = yearPeriod(year);
    // the year's figures; in-progress steps and overdue confirmations are today's, not the year's
    const list = (await figures.figures(period, german)).filter((f) => REPORT_FIGURES.includes(f.key));
    const dates = datesFor('de');
    res.render('oversight/report', {
      ...res.locals,
      t: german.t,
      locale: 'de',
      dates,
      year,
      created: clock(),
      figures: list.map((f, i) => ({
        ...f,
        svg: chartOf(f, german, `bericht-grafik-${i + 1}`),
        cells: cellsOf(f, german),
      })),
      ...(await figures.yearLists(period)),
    });
  });

  router.get('/:figure.csv', async (req, res) => {
    const key = req.params.figure as FigureKey;
    if (!(FIGURE_KEYS as readonly string[]).includes(key)) throw new HttpError(404);
    const { period } = periodOf(req);
    if (!period) throw new HttpError(400);
    const l = labels(res);
    const csv = csvOf(await figures.figure(key, period, l), l);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${key}_${period.from}_${period.to}.csv"`);
    res.send(csvDocument(csv.header, csv.rows));
  });

  return router;
}
