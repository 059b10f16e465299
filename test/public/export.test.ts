import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { exportStatic, fileForUrl, type ExportResult } from '../../src/public/export';
import { ACTIVE_SLUGS, seedRegister } from './fixtures';

let ctx: TestContext;
let dir: string;
let result: ExportResult;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedRegister(ctx.database.db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-export-'));
  result = await exportStatic({ app: ctx.app, db: ctx.database.db, outDir: dir, baseUrl: ctx.config.baseUrl });
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await ctx.close();
});

const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('static export', () => {
  it('maps portal addresses to files', () => {
    expect(fileForUrl('/')).toBe('index.html');
    expect(fileForUrl('/?seite=3')).toBe('seite-3.html');
    expect(fileForUrl('/en')).toBe('en/index.html');
    expect(fileForUrl('/en?seite=2')).toBe('en/seite-2.html');
    expect(fileForUrl('/angebote/sprengel-museum-facebook')).toBe('angebote/sprengel-museum-facebook.html');
    expect(fileForUrl('/en/impressum')).toBe('en/impressum.html');
    expect(fileForUrl('/assets/kern/kern.min.css')).toBe('assets/kern/kern.min.css');
    expect(fileForUrl('/?q=museum')).toBeUndefined();
    expect(fileForUrl('/pruefen')).toBeUndefined();
    expect(fileForUrl('/assets/../../etc/passwd')).toBeUndefined();
  });

  it('writes the overview, every presence page, the data files, the fragment and the assets', () => {
    for (const file of [
      'index.html',
      'en/index.html',
      'angebote/hannover-de-facebook.html',
      'angebote/sprengel-museum-facebook.html',
      'angebote/altes-stadtgruen-facebook.html',
      'en/angebote/sprengel-museum-facebook.html',
      'impressum.html',
      'einbetten.html',
      'angebote.json',
      'angebote.csv',
      'angebote.atom',
      'en/angebote.atom',
      'api/openapi.json',
      'dcat.ttl',
      'dcat.jsonld',
      'en/dcat.ttl',
      'assets/kern/kern.min.css',
      'assets/kern/fonts/fira-sans.css',
      'assets/kern/fonts/fira-sans/FiraSans-Regular.woff2',
      'assets/app.css',
      'assets/public.css',
    ]) {
      expect(result.files, file).toContain(file);
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    }
    expect(JSON.parse(read('angebote.json')).count).toBe(ACTIVE_SLUGS.length);
  });

  it('writes the DCAT-AP.de catalogue, which still names the live portal as the place of the data', () => {
    const quads = new Parser().parse(read('dcat.ttl'));
    const distributions = quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#downloadURL');
    expect(distributions.map((q) => q.object.value)).toContain(`${ctx.config.baseUrl}/angebote.json`);
    expect(JSON.parse(read('dcat.jsonld'))['@context']).toBeDefined();
  });

  it('links pages to each other with relative links that resolve to exported files', () => {
    for (const file of result.files.filter(
      (f) => f.endsWith('.html') && f !== 'einbetten.html' && !f.endsWith('/einbetten.html'),
    )) {
      const html = read(file);
      for (const m of html.matchAll(/\b(?:href|src|action)="([^"]+)"/g)) {
        const ref = (m[1] as string).replace(/&amp;/g, '&');
        if (/^(?:https?:|mailto:|#)/.test(ref)) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.split('#')[0] as string));
        expect(fs.existsSync(path.join(dir, target)), `${file} → ${ref}`).toBe(true);
      }
    }
    const presence = read('angebote/sprengel-museum-facebook.html');
    expect(presence).toContain('href="../assets/kern/kern.min.css"');
    expect(presence).toContain('href="../index.html"');
    expect(presence).toContain('href="../en/angebote/sprengel-museum-facebook.html"');
  });

  it('leaves out the search form and sends dynamic pages to the live portal', () => {
    const index = read('index.html');
    expect(index).not.toContain('<form');
    expect(index).toContain('href="http://portal.test/pruefen"');
    expect(index).toContain('href="angebote/sprengel-museum-facebook.html"');
    expect(read('einbetten.html')).toContain('href="http://portal.test/angebote/sprengel-museum-facebook"');
  });
});
