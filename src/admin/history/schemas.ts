import { z } from 'zod';
import { LIMITS } from '../../limits';
import { ID_PATTERN } from '../../web/forms';
import { key, pageNumber, text } from '../input';
import { berlinDayStart, isDay, nextDay } from '../web';
import { UID } from '../units/schemas';
import type { HistoryFilter } from './store';

/** An action or the start of one ("workflow." finds every workflow action). */
const ACTION = /^[a-z_.]+$/;

/** An optional field: '' is "any", anything else must pass `check`. */
const optional = <T extends z.ZodType<unknown, string>>(check: T) => text.pipe(z.union([z.literal(''), check]));

const id = z.string().regex(ID_PATTERN, key('admin.history.error.id'));
const day = z.string().refine(isDay, key('admin.error.date'));

/**
 * The history search (a GET form): every filter optional, each problem named at its field,
 * limits as the columns have them (history.action, people.uid).
 */
export const historySearchSchema = z
  .object({
    praesenz: optional(id),
    antrag: optional(id),
    person: optional(z.string().max(LIMITS.uid, key('admin.error.tooLong')).regex(UID, key('admin.error.uidInvalid'))),
    aktion: optional(
      z.string().max(LIMITS.historyAction, key('admin.error.tooLong')).regex(ACTION, key('admin.history.error.action')),
    ),
    von: optional(day),
    bis: optional(day),
  })
  .superRefine((v, ctx) => {
    if (v.von && v.bis && v.bis < v.von)
      ctx.addIssue({ code: 'custom', path: ['bis'], message: key('admin.error.dateRange') });
  });

/** The search as the store's filter. */
export function historyFilter(v: z.output<typeof historySearchSchema>): HistoryFilter {
  const filter: HistoryFilter = {};
  if (v.praesenz) filter.presenceId = Number(v.praesenz);
  if (v.antrag) filter.requestId = Number(v.antrag);
  if (v.person) filter.uid = v.person.toLowerCase();
  if (v.aktion) filter.action = v.aktion;
  if (v.von) filter.from = berlinDayStart(v.von);
  if (v.bis) filter.until = berlinDayStart(nextDay(v.bis));
  return filter;
}

/** The page of the result list (links the page makes: anything else is a malformed link). */
export const historyPageSchema = z.object({ seite: pageNumber });
