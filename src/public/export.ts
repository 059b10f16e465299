import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import type { Db } from '../db/knex';

/**
 * Static export for the Hannover.de CMS: the public pages as files that work from any
 * folder on any web server. The pages are fetched from the real app (on a loopback port
 * only this process uses), so they are byte for byte what the portal serves, then:
 *  - links between exported pages become relative file links (`angebote/x.html`),
 *  - links to pages that cannot be static (search, verification, staff area) point to
 *    the live portal (BASE_URL),
 *  - the search form (marked `<!-- smr:dynamic -->`) is left out,
 *  - the CSS, fonts and script the pages use are copied along.
 */

const LOCALES = ['', '/en'] as const;
const LEGAL = ['impressum', 'datenschutz', 'barrierefreiheit'];
/** The open-data files; the DCAT catalogue keeps naming the live portal (BASE_URL) as the place of the data. */
const DATA = ['/angebote.json', '/angebote.csv', '/angebote.atom', '/api/openapi.json', '/dcat.ttl', '/dcat.jsonld'];

export interface ExportResult {
  outDir: string;
  files: string[];
}

interface Fetched {
  status: number;
  type: string;
  body: Buffer;
}

export async function exportStatic(opts: {
  app: Express;
  db: Db;
  outDir: string;
  baseUrl: string;
}): Promise<ExportResult> {
  const server = http.createServer(opts.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await run(origin, opts);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function get(origin: string, urlPath: string): Promise<Fetched> {
  const res = await fetch(origin + urlPath, { redirect: 'manual' });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** The file an exported URL lives in, or undefined when that URL is not exported. */
export function fileForUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url, 'http://export.invalid');
  } catch {
    return undefined;
  }
  if (u.origin !== 'http://export.invalid') return undefined;
  let p = u.pathname;
  let prefix = '';
  if (p === '/en' || p.startsWith('/en/')) {
    prefix = 'en/';
    p = p.slice(3) || '/';
  }
  const params = [...u.searchParams.keys()];
  if (p === '/') {
    if (params.some((k) => k !== 'seite')) return undefined;
    const seite = Number(u.searchParams.get('seite') ?? '1');
    if (!Number.isInteger(seite) || seite < 1) return undefined;
    return seite === 1 ? `${prefix}index.html` : `${prefix}seite-${seite}.html`;
  }
  if (params.length > 0) return undefined;
  const slug = /^\/angebote\/([a-z0-9-]+)$/.exec(p)?.[1];
  if (slug) return `${prefix}angebote/${slug}.html`;
  if (LEGAL.includes(p.slice(1)) || p === '/einbetten') return `${prefix}${p.slice(1)}.html`;
  if (DATA.includes(p)) return `${prefix}${p.slice(1)}`;
  if (p.startsWith('/assets/') && !p.includes('..')) return p.slice(1);
  return undefined;
}

const decodeAttr = (v: string) => v.replace(/&amp;/g, '&').replace(/&#34;/g, '"').replace(/&#39;/g, "'");
const encodeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&#34;');

/** Rewrites an exported HTML page for its place in the export folder. */
export function rewriteHtml(html: string, file: string, exported: Set<string>, baseUrl: string): string {
  const withoutDynamic = html.replace(/<!-- smr:dynamic -->[\s\S]*?<!-- \/smr:dynamic -->\n?/g, '');
  return withoutDynamic.replace(/\b(href|src|action)="(\/[^"]*)"/g, (_m, attr: string, raw: string) => {
    const value = decodeAttr(raw);
    const hashAt = value.indexOf('#');
    const target = hashAt >= 0 ? value.slice(0, hashAt) : value;
    const hash = hashAt >= 0 ? value.slice(hashAt) : '';
    if (target === '' && hash) return `${attr}="${encodeAttr(hash)}"`;
    const to = fileForUrl(target);
    if (to !== undefined && exported.has(to)) {
      const rel = path.posix.relative(path.posix.dirname(file), to) || path.posix.basename(to);
      return `${attr}="${encodeAttr(rel + hash)}"`;
    }
    return `${attr}="${encodeAttr(baseUrl + value)}"`;
  });
}

async function run(origin: string, opts: { db: Db; outDir: string; baseUrl: string }): Promise<ExportResult> {
  const pages = new Map<string, Fetched>(); // file -> response
  const take = async (url: string, allow404 = false) => {
    const file = fileForUrl(url);
    if (!file || pages.has(file)) return undefined;
    const res = await get(origin, url);
    if (res.status !== 200) {
      if (allow404 && res.status === 404) return undefined;
      throw new Error(`GET ${url} answered ${res.status}`);
    }
    pages.set(file, res);
    return res;
  };

  const slugs = ((await opts.db('presences').select('slug').orderBy('slug')) as Array<{ slug: string }>).map(
    (r) => r.slug,
  );
  for (const locale of LOCALES) {
    const home = await take(locale || '/');
    const pageNumbers = [...(home?.body.toString('utf8') ?? '').matchAll(/[?&](?:amp;)?seite=(\d+)/g)].map((m) =>
      Number(m[1]),
    );
    const last = Math.max(1, ...pageNumbers);
    for (let n = 2; n <= last; n++) await take(`${locale}/?seite=${n}`);
    for (const slug of slugs) await take(`${locale}/angebote/${slug}`);
    for (const name of LEGAL) await take(`${locale}/${name}`);
    await take(`${locale}/einbetten`);
    for (const data of DATA) await take(`${locale}${data}`);
  }

  // the style sheets, fonts and script the pages use
  const queue: string[] = [];
  for (const [file, res] of pages) {
    if (!file.endsWith('.html')) continue;
    for (const m of res.body.toString('utf8').matchAll(/\b(?:href|src)="(\/assets\/[^"#?]+)"/g))
      queue.push(m[1] as string);
  }
  while (queue.length > 0) {
    const asset = queue.shift() as string;
    const res = await take(asset);
    if (res && asset.endsWith('.css')) {
      for (const m of res.body.toString('utf8').matchAll(/url\(\s*(["']?)([^"')]+)\1\s*\)/g)) {
        const ref = m[2] as string;
        if (/^(?:data:|https?:|#)/.test(ref)) continue;
        queue.push(path.posix.normalize(path.posix.join(path.posix.dirname(asset), ref.split(/[?#]/)[0] as string)));
      }
    }
  }

  const exported = new Set(pages.keys());
  await fs.mkdir(opts.outDir, { recursive: true });
  for (const [file, res] of pages) {
    const target = path.join(opts.outDir, ...file.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    const isPage = file.endsWith('.html') && !file.endsWith('einbetten.html');
    const body = isPage
      ? Buffer.from(rewriteHtml(res.body.toString('utf8'), file, exported, opts.baseUrl), 'utf8')
      : res.body;
    await fs.writeFile(target, body);
  }
  return { outDir: opts.outDir, files: [...exported].sort() };
}
