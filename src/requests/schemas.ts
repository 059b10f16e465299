import { z } from 'zod';
import { LIMITS } from '../limits';
import { formText, limitedText } from '../web/input';

/**
 * The request pages' inputs (issue 11 point 3): each form and query string as one zod schema
 * with its limits (src/limits.ts, matching the columns) and its messages. The request form's
 * own fields are read by `readForm` (./form.ts), which the same limits guard.
 */

/** A field that may be missing (undefined), else its text trimmed; repeated (an array) counts as missing. */
const present = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? v.trim() : undefined));

/**
 * The buttons and the people search of the request form (and of a presence's change form):
 * "übernehmen" carries the user id of a person found, `aktion` the button pressed.
 */
export const editorButtonsSchema = z.object({
  uebernehmen: present.transform((v) => v?.toLowerCase()),
  editorSuche: formText,
  aktion: z.preprocess((v) => v ?? 'entwurf', z.enum(['entwurf', 'einreichen', 'suchen'])),
});

/** The directory search's text as sent to the directory (the box keeps what was typed). */
export const directoryQuery = (q: string) => q.slice(0, LIMITS.search);

/** The step a decision is for: a step id of a workflow definition, else the form was not the portal's (400). */
export const stepIdSchema = z.object({
  schritt: z
    .string()
    .max(LIMITS.stepId)
    .regex(/^[a-z][a-z0-9_]*$/),
});

/** A decision: outcome and comment (required to return or reject); `fassung` is the version decided on. */
export const decisionSchema = z
  .object({
    entscheidung: z.enum(['approve', 'return', 'reject'], { error: 'requests.error.outcome' }),
    kommentar: limitedText(LIMITS.comment, 'requests.error.tooLong'),
    fassung: z
      .string()
      .regex(/^\d{1,9}$/)
      .transform(Number)
      .optional()
      .catch(undefined),
    // rejecting is final: '1' from its confirmation page, 'nein' back to the form
    bestaetigt: z.enum(['1', 'nein']).optional().catch(undefined),
  })
  .superRefine((d, ctx) => {
    if (d.entscheidung !== 'approve' && d.kommentar === '')
      ctx.addIssue({ code: 'custom', path: ['kommentar'], message: 'requests.error.commentRequired' });
  });

/** Withdrawing a request: the reason is optional. */
export const withdrawSchema = z.object({ grund: limitedText(LIMITS.comment, 'requests.error.tooLong') });

/** An editor confirms the texts by ticking the box. */
export const confirmSchema = z.object({ bestaetigung: z.literal('ja', { error: 'requests.confirm.error' }) });
