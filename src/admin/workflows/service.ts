import type { Knex } from 'knex';
import YAML from 'yaml';
import type { SessionUser } from '../../directory/user';
import { recordHistory } from '../../audit/history';
import { parseDefinition, type WorkflowDefinition } from '../../workflow/definition';
import type { FieldError } from '../../web/forms';
import { error } from '../web';

export interface DefinitionRow {
  id: number;
  key: string;
  version: number;
  definition: WorkflowDefinition;
  created_by: string | null;
  created_at: Date;
}

/** Line and column of a character offset, for error messages an administrator can act on. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** JSON (starts with "{") or YAML text → a plain value, or the syntax error with its position. */
export function parseText(
  text: string,
): { ok: true; value: unknown; format: 'json' | 'yaml' } | { ok: false; errors: FieldError[] } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, errors: [error('definition', 'admin.workflows.error.empty')] };
  if (trimmed.startsWith('{')) {
    try {
      return { ok: true, value: JSON.parse(trimmed), format: 'json' };
    } catch (e) {
      const message = (e as Error).message;
      const position = /position (\d+)/.exec(message)?.[1];
      // JSON is YAML's flow style: where JSON.parse names no position, the YAML parser does
      const yamlAt = YAML.parseDocument(trimmed).errors[0]?.linePos?.[0];
      const at =
        position !== undefined
          ? lineAndColumn(trimmed, Number(position))
          : yamlAt
            ? { line: yamlAt.line, column: yamlAt.col }
            : undefined;
      return {
        ok: false,
        errors: [
          error('definition', at ? 'admin.workflows.error.jsonAt' : 'admin.workflows.error.json', {
            detail: message,
            line: at?.line ?? 0,
            column: at?.column ?? 0,
          }),
        ],
      };
    }
  }
  const doc = YAML.parseDocument(trimmed, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) =>
        error('definition', 'admin.workflows.error.yaml', {
          detail: e.message.split('\n')[0] ?? e.message,
          line: e.linePos?.[0]?.line ?? 0,
        }),
      ),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }), format: 'yaml' };
  } catch (e) {
    return {
      ok: false,
      errors: [error('definition', 'admin.workflows.error.yaml', { detail: (e as Error).message, line: 0 })],
    };
  }
}

// moved to the workflow core (the route drawing needs it too); re-exported for existing callers
export { stagesOf } from '../../workflow/definition';

/** A definition as YAML without its version (the portal numbers versions itself). */
export function toYaml(definition: WorkflowDefinition): string {
  const { version: _version, ...rest } = definition;
  return YAML.stringify(rest, { lineWidth: 0 });
}

export function createWorkflowService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;

  return {
    async list() {
      const rows: DefinitionRow[] = await db('workflow_definitions').orderBy([
        { column: 'key' },
        { column: 'version', order: 'desc' },
      ]);
      const usage: Array<{ definition_id: number; status: string; n: number }> = await db('workflow_instances')
        .groupBy('definition_id', 'status')
        .select('definition_id', 'status')
        .count({ n: '*' });
      const count = (id: number, statuses?: string[]) =>
        usage
          .filter((u) => u.definition_id === id && (!statuses || statuses.includes(u.status)))
          .reduce((s, u) => s + Number(u.n), 0);
      const keys = [...new Set(rows.map((r) => r.key))];
      return keys.map((key) => ({
        key,
        versions: rows
          .filter((r) => r.key === key)
          .map((r) => ({ ...r, total: count(r.id), inFlight: count(r.id, ['in_review', 'returned']) })),
      }));
    },

    async get(id: number) {
      const row: DefinitionRow | undefined = await db('workflow_definitions').where({ id }).first();
      if (!row) return undefined;
      const newest = await db('workflow_definitions').where({ key: row.key }).max<{ m: number }[]>({ m: 'version' });
      const usage: Array<{ status: string; n: number }> = await db('workflow_instances')
        .where({ definition_id: id })
        .groupBy('status')
        .select('status')
        .count({ n: '*' });
      return {
        ...row,
        newest: Number(newest[0]?.m ?? row.version),
        usage: usage.map((u) => ({ status: u.status, n: Number(u.n) })),
      };
    },

    /**
     * Validates an uploaded definition and stores it as the key's next version. Requests in
     * flight keep the version they started with (they point at its row).
     */
    async upload(
      actor: SessionUser,
      text: string,
    ): Promise<
      { ok: true; id: number; version: number; givenVersion: number | undefined } | { ok: false; errors: FieldError[] }
    > {
      const parsed = parseText(text);
      if (!parsed.ok) return parsed;
      const value = parsed.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { ok: false, errors: [error('definition', 'admin.workflows.error.notObject')] };
      }
      const input = value as Record<string, unknown>;
      const keys: string[] = (await db('workflow_definitions').distinct('key'))
        .map((r: { key: string }) => r.key)
        .sort();
      if (typeof input.key === 'string' && !keys.includes(input.key)) {
        return {
          ok: false,
          errors: [error('definition', 'admin.workflows.error.unknownKey', { key: input.key, known: keys.join(', ') })],
        };
      }
      const givenVersion = typeof input.version === 'number' ? input.version : undefined;
      const now = clock();
      return db.transaction(async (trx) => {
        // one upload per key at a time, so two administrators never get the same number
        if (typeof input.key === 'string')
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`workflow_definitions:${input.key}`]);
        const max =
          typeof input.key === 'string'
            ? Number(
                (
                  await trx('workflow_definitions')
                    .where({ key: input.key })
                    .max<{ m: number | null }[]>({ m: 'version' })
                )[0]?.m ?? 0,
              )
            : 0;
        const version = max + 1;
        const result = parseDefinition({ ...input, version });
        if (!result.ok)
          return {
            ok: false as const,
            errors: result.errors.map((detail) => error('definition', 'admin.workflows.error.detail', { detail })),
          };
        const definition = result.definition;
        const [row] = await trx('workflow_definitions')
          .insert({
            key: definition.key,
            version,
            definition: JSON.stringify(definition),
            created_by: actor.uid,
            created_at: now,
          })
          .returning('id');
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'workflow_definition.uploaded',
          entityType: 'workflow_definition',
          entityId: row.id,
          comment: `${definition.key} v${version}`,
          changes: { version: { before: max, after: version } },
        });
        return { ok: true as const, id: row.id as number, version, givenVersion };
      });
    },
  };
}
