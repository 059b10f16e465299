import type { Db } from '../db/knex';
import { canonicalise } from '../registry/canonical';
import { platformRulesSchema, type PlatformRules } from '../registry/platforms';

/**
 * Synthetic register data for benchmarks and load tests: a unit tree under the code
 * prefix "SYN" and active presences whose slugs start with "syn-". Platforms are used as
 * they are (a disabled platform's presences are listed all the same); nothing real is
 * changed, and removeSynthetic() takes it all out again.
 */

export const SYNTHETIC_UNIT_PREFIX = 'SYN';
export const SYNTHETIC_SLUG_PREFIX = 'syn-';

const DEZERNATE = [
  'Allgemeine Verwaltung',
  'Finanzen',
  'Kultur und Bildung',
  'Soziales',
  'Umwelt',
  'Bauen',
  'Wirtschaft',
  'Sicherheit',
];
const TOPICS = [
  'Museum',
  'Bibliothek',
  'Jugendzentrum',
  'Bürgeramt',
  'Stadtteilkultur',
  'Musikschule',
  'Volkshochschule',
  'Sportpark',
  'Stadtgrün',
  'Klimaschutz',
  'Seniorenbüro',
  'Familienservice',
  'Theaterwerkstatt',
  'Archiv',
  'Bäderbetrieb',
  'Gartenamt',
];
const PLACES = [
  'Linden',
  'Südstadt',
  'List',
  'Mitte',
  'Döhren',
  'Ricklingen',
  'Vahrenwald',
  'Bothfeld',
  'Kirchrode',
  'Misburg',
  'Ahlem',
  'Badenstedt',
  'Herrenhausen',
  'Nordstadt',
  'Oststadt',
  'Kleefeld',
  'Buchholz',
  'Sahlkamp',
  'Wülfel',
  'Limmer',
];

/** A URL on each known platform that its rules reduce to a unique account id. */
function accountUrl(platform: string, n: number): string | undefined {
  switch (platform) {
    case 'facebook':
      return `https://www.facebook.com/syn.${n}.hannover`;
    case 'instagram':
      return `https://www.instagram.com/syn_${n}_hannover/`;
    case 'youtube':
      return `https://www.youtube.com/@syn-${n}-hannover`;
    case 'mastodon':
      return `https://mastodon.social/@syn_${n}`;
    case 'x':
      return `https://x.com/syn${n}h`;
    default:
      return undefined;
  }
}

async function ensureUnits(db: Db): Promise<number[]> {
  const existing = await db('org_units')
    .where('code', 'like', `${SYNTHETIC_UNIT_PREFIX}.%`)
    .select<Array<{ id: number; kind: string }>>('id', 'kind');
  if (existing.length > 0) return existing.filter((u) => u.kind !== 'dezernat').map((u) => u.id);
  const leaves: number[] = [];
  for (const [d, dezernat] of DEZERNATE.entries()) {
    const [dz] = await db('org_units')
      .insert({
        code: `${SYNTHETIC_UNIT_PREFIX}.D${d + 1}`,
        name: `Synthetisches Dezernat ${d + 1} – ${dezernat}`,
        kind: 'dezernat',
        sort_order: 100 + d,
      })
      .returning('id');
    for (let f = 1; f <= 6; f++) {
      const [fb] = await db('org_units')
        .insert({
          code: `${SYNTHETIC_UNIT_PREFIX}.D${d + 1}.F${f}`,
          name: `Fachbereich ${dezernat} ${f}`,
          kind: 'fachbereich',
          parent_id: dz.id,
          sort_order: f,
          hannover_de_url: `https://www.hannover.de/synthetisch/d${d + 1}/f${f}`,
        })
        .returning('id');
      leaves.push(fb.id);
      for (let b = 1; b <= 4; b++) {
        const [bereich] = await db('org_units')
          .insert({
            code: `${SYNTHETIC_UNIT_PREFIX}.D${d + 1}.F${f}.B${b}`,
            name: `Bereich ${TOPICS[(d * 6 + f + b) % TOPICS.length]} ${f}.${b}`,
            kind: 'bereich',
            parent_id: fb.id,
            sort_order: b,
          })
          .returning('id');
        leaves.push(bereich.id);
      }
    }
  }
  return leaves;
}

/** Adds `count` active synthetic presences, spread over units and platforms. Returns how many were added. */
export async function seedSynthetic(db: Db, count: number, now: Date = new Date()): Promise<number> {
  const units = await ensureUnits(db);
  const platforms = (
    (await db('platforms').select('key', 'rules').orderBy('sort_order')) as Array<{ key: string; rules: unknown }>
  )
    .map((p) => ({ key: p.key, rules: platformRulesSchema.safeParse(p.rules) }))
    .filter(
      (p): p is { key: string; rules: { success: true; data: PlatformRules } } =>
        p.rules.success && accountUrl(p.key, 1) !== undefined,
    );
  if (platforms.length === 0) throw new Error('No platform with usable rules');
  const start =
    Number(
      (
        (await db('presences').where('slug', 'like', `${SYNTHETIC_SLUG_PREFIX}%`).count({ n: '*' }).first()) as {
          n: number | string;
        }
      ).n,
    ) + 1;

  const rows: Array<Record<string, unknown>> = [];
  for (let n = start; n < start + count; n++) {
    const platform = platforms[n % platforms.length] as (typeof platforms)[number];
    const canonical = canonicalise(accountUrl(platform.key, n) as string, platform.rules.data);
    if (!canonical.ok) throw new Error(`Synthetic URL for ${platform.key} does not canonicalise: ${canonical.reason}`);
    const topic = TOPICS[n % TOPICS.length] as string;
    const place = PLACES[Math.floor(n / TOPICS.length) % PLACES.length] as string;
    const published = new Date(now.getTime() - (n % 1000) * 86_400_000);
    rows.push({
      slug: `${SYNTHETIC_SLUG_PREFIX}${n}-${platform.key}`,
      platform_key: platform.key,
      account_id: canonical.id,
      url: canonical.url,
      name: `${topic} ${place} ${n}`,
      description: `Synthetischer Auftritt Nr. ${n}: Neuigkeiten, Termine und Angebote rund um ${topic} in ${place}. Nur für Last- und Leistungstests.`,
      org_unit_id: units[n % units.length],
      hannover_de_url: `https://www.hannover.de/synthetisch/${n}`,
      status: 'active',
      central: false,
      published_at: published,
      last_confirmed_at: published,
      created_at: now,
      updated_at: now,
    });
  }
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx('presences').insert(rows.slice(i, i + 500));
  });
  // fresh statistics after a bulk load, so the planner picks the indexes (PGlite has no autovacuum)
  await db.raw('ANALYZE presences');
  await db.raw('ANALYZE org_units');
  return rows.length;
}

/** Removes every synthetic presence and unit. */
export async function removeSynthetic(db: Db): Promise<number> {
  return db.transaction(async (trx) => {
    const synthetic = () => trx('presences').where('slug', 'like', `${SYNTHETIC_SLUG_PREFIX}%`);
    // (counted first: the embedded driver does not report the number of deleted rows)
    const removed = Number(((await synthetic().count({ n: '*' }).first()) as { n: number | string }).n);
    await trx('presence_editors').whereIn('presence_id', synthetic().select('id')).delete();
    await synthetic().delete();
    // children before parents
    for (const depth of [3, 2, 1]) {
      await trx('org_units')
        .where('code', 'like', `${SYNTHETIC_UNIT_PREFIX}.%`)
        .whereRaw("array_length(string_to_array(code, '.'), 1) = ?", [depth + 1])
        .delete();
    }
    return removed;
  });
}
