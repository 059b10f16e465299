import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { de, en } from '../../src/admin/messages';
import { ADMIN_PAGES } from '../../src/admin/routes';
import { UNIT_KINDS } from '../../src/admin/units/service';
import { UNIT_COLUMNS } from '../../src/admin/units/import';
import { IMPORT_COLUMNS } from '../../src/admin/import/columns';

const root = path.resolve(__dirname, '../..');
const files = (dir: string, ext: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : [],
    );

describe('admin texts', () => {
  it('has a German and an English text for every key used in views and code', () => {
    const used = new Set<string>();
    for (const file of [
      ...files(path.join(root, 'views/admin'), '.ejs'),
      ...files(path.join(root, 'src/admin'), '.ts'),
    ]) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(admin\.[A-Za-z0-9_.]+)'/g))
        if (!m[1]?.endsWith('.')) used.add(m[1] as string);
    }
    // keys built from a prefix and a value
    for (const k of UNIT_KINDS) used.add(`admin.units.kind.${k}`);
    for (const k of ['head', 'deputy']) used.add(`admin.units.head.${k}`);
    for (const c of UNIT_COLUMNS) used.add(`admin.units.import.column.${c}`);
    for (const a of ['create', 'update', 'unchanged']) used.add(`admin.units.import.action.${a}`);
    for (const r of ['empty', 'too_long', 'not_a_url', 'unsupported_scheme', 'host_not_allowed', 'not_an_account'])
      used.add(`admin.platforms.preview.reason.${r}`);
    for (const s of ['active', 'closed']) used.add(`admin.register.status.${s}`);
    for (const c of IMPORT_COLUMNS) used.add(`admin.import.column.${c}`);
    for (const p of ADMIN_PAGES) for (const part of ['title', 'text']) used.add(`admin.index.${p.key}.${part}`);
    const missing = [...used].filter((k) => !(k in de) || !(k in en));
    expect(missing).toEqual([]);
  });

  it('writes English as English', () => {
    const same = Object.keys(de).filter(
      (k) => de[k as keyof typeof de] === en[k as keyof typeof en] && !/^[{}\d /]*$/.test(en[k as keyof typeof en]),
    );
    // words that are the same in both languages
    expect(same.sort()).toEqual([
      'admin.history.system',
      'admin.optional',
      'admin.platforms.col.hosts',
      'admin.platforms.count',
      'admin.platforms.field.rules.hint',
      'admin.record.name',
      'admin.roles.col.person',
      'admin.units.field.name',
    ]);
  });
});
