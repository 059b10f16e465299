import { z } from 'zod';
import { LIMITS } from '../../limits';
import { key, rawText, text } from '../input';

/** A new version, typed or pasted as JSON or YAML; its meaning the workflow schema checks afterwards. */
export const uploadSchema = z.object({
  definition: rawText.pipe(z.string().max(LIMITS.workflowDefinition, key('admin.error.tooLong'))),
});

/** "New version from version N" (`?von=N`); an id that names no version is a page that does not exist. */
export const newFromQuery = z.object({ von: text });

/**
 * The notices after an upload: `neu=1`, and `angegeben=N` when the portal numbered the version
 * differently from the number given in the file. Anything else shows no notice.
 */
export const uploadNotice = z.object({
  neu: z.literal('1').optional().catch(undefined),
  angegeben: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});
