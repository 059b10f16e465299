import { z } from 'zod';
import { pageNumber, text } from '../input';
import { PLATFORM_KEY } from '../platforms/schemas';
import { CODE } from '../units/schemas';

/**
 * The register's filters, as its own select boxes and links send them ('' is "all"). A value
 * they never send is a malformed link (400), not an empty list; whether a platform or unit
 * exists the route checks against the register's choices.
 */
export const registerQuery = z.object({
  status: text.pipe(z.enum(['', 'active', 'closed'])),
  plattform: text.pipe(z.union([z.literal(''), z.string().regex(PLATFORM_KEY)])),
  einheit: text.pipe(z.union([z.literal(''), z.string().regex(CODE)])),
  markiert: text.pipe(z.enum(['', '1'])),
  seite: pageNumber,
});
