import { z } from 'zod';
import { LIMITS } from '../../limits';
import { isHannoverDeUrl } from '../../requests/form';
import { key, limited, text } from '../input';

export const UNIT_KINDS = ['dezernat', 'fachbereich', 'bereich', 'amt', 'betrieb', 'einrichtung', 'stelle'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** A unit code: letters, digits, '.', '_', '-', at most LIMITS.unitCode (org_units.code). */
export const CODE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${LIMITS.unitCode - 1}}$`);
/** A directory user id (people.uid, org_unit_heads.uid): at most LIMITS.uid. */
export const UID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${LIMITS.uid - 1}}$`);

/**
 * The unit form's own checks, with the limits of the org_units columns and the messages the
 * form shows. What needs the other units (a code already taken, an unknown, retired or looping
 * parent) the service checks afterwards. Fields arrive as typed strings (src/admin/input.ts).
 */
export const unitFormSchema = z.object({
  code: text.pipe(
    z.string().min(1, key('admin.units.error.codeMissing')).regex(CODE, key('admin.units.error.codeInvalid')),
  ),
  name: text.pipe(z.string().min(1, key('admin.units.error.nameMissing')).max(LIMITS.name, key('admin.error.tooLong'))),
  kurzname: limited(LIMITS.unitShortName),
  art: text.pipe(z.enum(UNIT_KINDS, { message: key('admin.units.error.kind') })),
  oberhalb: text,
  hannoverDe: text.pipe(
    z
      .string()
      .refine((v) => v === '' || (v.length <= LIMITS.url && isHannoverDeUrl(v)), key('admin.units.error.hannoverDe')),
  ),
  reihenfolge: text.pipe(z.string().regex(/^-?\d{1,6}$/, key('admin.units.error.sortOrder'))),
});

/** The form fields in the order the form shows them (the error summary follows it). */
export const UNIT_FIELDS = Object.keys(unitFormSchema.shape);

/** Retiring a unit: the optional reason goes into the history (history.comment). */
export const retireSchema = z.object({ grund: limited(LIMITS.retireReason) });

/** Adding a head or deputy head: a directory user id (org_unit_heads.uid) and the function. */
export const headSchema = z.object({
  leitung: text.pipe(
    z
      .string()
      .min(1, key('admin.units.error.headMissing'))
      .max(LIMITS.uid, key('admin.error.tooLong'))
      .regex(UID, key('admin.error.uidInvalid'))
      .transform((v) => v.toLowerCase()),
  ),
  funktion: text.pipe(z.enum(['head', 'deputy'], { message: key('admin.units.error.headKind') })),
});

/** Removing a head: the hidden uid of the row's button. */
export const removeHeadSchema = z.object({ uid: text.pipe(z.string().max(LIMITS.uid)) });

/** The notices after the unit pages' own redirects. */
export const UNIT_NOTICES = ['gespeichert', 'aufgeloest', 'reaktiviert', 'leitung'] as const;
