import { z } from 'zod';
import { LIMITS } from '../../limits';
import { isHannoverDeUrl } from '../../requests/form';
import type { MessageKey } from '../../i18n/keys';

export const UNIT_KINDS = ['dezernat', 'fachbereich', 'bereich', 'amt', 'betrieb', 'einrichtung', 'stelle'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** A unit code: letters, digits, '.', '_', '-', at most LIMITS.unitCode (org_units.code). */
export const CODE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${LIMITS.unitCode - 1}}$`);

const key = (k: MessageKey) => k;

/**
 * The unit form's own checks, with the limits of the org_units columns and the messages the
 * form shows. What needs the other units (a code already taken, an unknown, retired or looping
 * parent) the service checks afterwards.
 */
export const unitFormSchema = z.object({
  code: z.string().min(1, key('admin.units.error.codeMissing')).regex(CODE, key('admin.units.error.codeInvalid')),
  name: z.string().min(1, key('admin.units.error.nameMissing')).max(LIMITS.name, key('admin.error.tooLong')),
  kurzname: z.string().max(LIMITS.unitShortName, key('admin.error.tooLong')),
  art: z.enum(UNIT_KINDS, { message: key('admin.units.error.kind') }),
  oberhalb: z.string(),
  hannoverDe: z
    .string()
    .refine((v) => v === '' || (v.length <= LIMITS.url && isHannoverDeUrl(v)), key('admin.units.error.hannoverDe')),
  reihenfolge: z.string().regex(/^-?\d{1,6}$/, key('admin.units.error.sortOrder')),
});

/** The form fields in the order the form shows them (the error summary follows it). */
export const UNIT_FIELDS = Object.keys(unitFormSchema.shape);
