/**
 * Start-up time and memory (`npm run bench:startup`), not a test.
 *
 * Compares the two ways to start the portal:
 *   tsx       `npm start`            = node --import tsx src/server.ts (TypeScript compiled on the fly)
 *   compiled  `npm run start:prod`   = node dist/src/server.js         (after `npm run build`)
 * each on a fresh empty data folder (PGlite: migrations and demo data are made at start) and a
 * second time on the same folder (already migrated and seeded), NODE_ENV=development with the
 * built-in demo directory, exactly as on a fresh machine. Every run:
 *   - spawns the command through npm, as a person types it, in a clean environment (PATH and
 *     HOME only, plus DATA_DIR, PORT and HOST), so nothing from this shell leaks in;
 *   - polls GET / every 25 ms until the first 200 → start time (from spawn, npm included);
 *   - reads /proc/<pid>/status of the server process (the node process running server.ts/.js,
 *     found below npm) at that moment: VmHWM = peak RSS so far, VmRSS = RSS after start; and
 *     the RSS of its own child processes, if any (printed per run as "children");
 *   - stops the server with SIGTERM (to the node process itself, see STACK-NOTES) and waits.
 * Rounds interleave the variants (the order alternates), so that a busy machine hurts both alike.
 * First, to show where a difference comes from, it also times loading the server's modules
 * only (no database): `node [--import tsx] -e "require(…)"`, wall time and peak RSS. tsx keeps
 * a disk cache of its transforms (/tmp/tsx-<uid>), so these are warm-cache figures for tsx;
 * --tsx-cold sets TSX_DISABLE_CACHE=1 for every tsx run: the first start after a checkout or an
 * update, when tsx transforms every module through an esbuild service process.
 * Since issue 14 a new PGlite data folder is loaded from a migrated template (src/db/knex.ts, kept in
 * node_modules/.cache/social-media-register/): each round therefore starts every variant three times,
 *   first   on an empty data folder after deleting the templates (the first start ever: initdb,
 *           migrations, and the template is kept),
 *   fresh   on another empty data folder (the template is loaded: no initdb, no migrations),
 *   second  on that folder again.
 * Prints every run, the medians, and the ratios compiled/tsx.
 *
 * Since the machine is shared, every start also reports the CPU time (user+sys, /proc/<pid>/stat)
 * the server process used until its first 200: wall time minus that is time it waited for a core.
 *
 * Options: --runs N (3), --tsx-cold, --no-build (use the dist/ that is there), --markdown (also print the
 * tables as Markdown for bench/RESULTS.md), --only tsx|compiled (one variant), --no-first (skip the
 * first start ever; needs the template from an earlier start). Bounded: a start that takes over
 * 180 s fails the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { execFileSync, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    'tsx-cold': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-first': { type: 'boolean', default: false },
  },
});
const RUNS = Number(opts.runs);
const REPO = path.resolve(__dirname, '..');
const START_TIMEOUT_MS = 180_000;
/** Extra environment of the tsx runs: no transform cache with --tsx-cold. */
const TSX_ENV: Record<string, string> = opts['tsx-cold'] ? { TSX_DISABLE_CACHE: '1' } : {};
const TSX_LABEL = opts['tsx-cold'] ? 'tsx, no cache' : 'tsx';

type Variant = { name: 'tsx' | 'compiled'; npmArgs: string[]; command: string; serverFile: string };
const ALL_VARIANTS: Variant[] = [
  { name: 'tsx', npmArgs: ['start'], command: 'npm start', serverFile: 'src/server.ts' },
  { name: 'compiled', npmArgs: ['run', 'start:prod'], command: 'npm run start:prod', serverFile: 'dist/src/server.js' },
];
const VARIANTS = ALL_VARIANTS.filter((v) => !opts.only || v.name === opts.only);
type Phase = 'first' | 'fresh' | 'second';
const TEMPLATE_DIR = path.join(path.resolve(__dirname, '..'), 'node_modules', '.cache', 'social-media-register');
const PHASES: Phase[] = opts['no-first'] ? ['fresh', 'second'] : ['first', 'fresh', 'second'];
type Sample = {
  variant: Variant['name'];
  phase: Phase;
  ms: number;
  /** CPU time (user+sys) of the server process until the first 200 */
  cpuMs: number;
  peakMb: number;
  rssMb: number;
  childrenMb: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Status code of GET url, or 0 when nothing answers yet. */
function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Child pids of a process (Linux /proc). */
function children(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
const descendants = (pid: number): number[] => children(pid).flatMap((c) => [c, ...descendants(c)]);
const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
};
const comm = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};
/** CPU time (user+sys) a process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    // the command name (2nd field) may hold spaces: count the fields after its closing parenthesis
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

/** VmHWM and VmRSS of a process in MB (0 if it is gone). */
function memory(pid: number): { peakMb: number; rssMb: number } {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return { peakMb: 0, rssMb: 0 };
  }
}

async function startOnce(variant: Variant, dataDir: string, phase: Phase): Promise<Sample> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ...(variant.name === 'tsx' ? TSX_ENV : {}),
  };
  const started = process.hrtime.bigint();
  const npm = spawn('npm', variant.npmArgs, { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  npm.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  // npm → sh -c "node …" → node: the node process itself (not the shell, whose command line names the file too)
  const serverPid = () =>
    descendants(npm.pid as number)
      .filter((p) => comm(p) === 'node' && cmdline(p).includes(variant.serverFile))
      .at(-1);
  try {
    let ms = 0;
    for (;;) {
      if (gone) throw new Error(`${variant.command} exited before answering:\n${stderr}`);
      if ((await status(`http://127.0.0.1:${port}/`)) === 200) {
        ms = Number(process.hrtime.bigint() - started) / 1e6;
        break;
      }
      if (Number(process.hrtime.bigint() - started) / 1e6 > START_TIMEOUT_MS)
        throw new Error(`${variant.command}: no 200 after ${START_TIMEOUT_MS} ms`);
      await sleep(25);
    }
    const pid = serverPid();
    if (!pid) throw new Error(`${variant.command}: no process running ${variant.serverFile} below npm`);
    const cpu = cpuMs(pid);
    const { peakMb, rssMb } = memory(pid);
    const childrenMb = descendants(pid).reduce((sum, p) => sum + memory(p).rssMb, 0);
    return { variant: variant.name, phase, ms, cpuMs: cpu, peakMb, rssMb, childrenMb };
  } finally {
    const pid = serverPid();
    if (pid) process.kill(pid, 'SIGTERM');
    else npm.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (pid && fs.existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
      npm.kill('SIGKILL');
    }, 20_000);
    await exited;
    // the next start on this folder needs the lock: wait until the server process is gone
    while (pid && fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8')))
      await sleep(25);
    clearTimeout(timer);
  }
}

/** The modules src/server.ts imports (its own code), as require paths below src/ or dist/src/. */
function serverModules(): string[] {
  const text = fs.readFileSync(path.join(REPO, 'src/server.ts'), 'utf8');
  return [...text.matchAll(/^import [^;]*? from '\.\/([^']+)';$/gm)].map((m) => m[1] as string);
}

/**
 * Loading the server's module graph only (no database, no listening): `node [--import tsx] -e
 * "require(every module server.ts imports)"`; wall time of the process and its peak RSS.
 */
function loadModulesOnce(variant: Variant): { ms: number; cpuMs: number; peakMb: number } {
  const base = variant.name === 'tsx' ? './src/' : './dist/src/';
  const code = `for (const m of ${JSON.stringify(serverModules())}) require(${JSON.stringify(base)} + m); const u = process.resourceUsage(); console.log((u.userCPUTime + u.systemCPUTime) / 1000, u.maxRSS)`;
  const args = variant.name === 'tsx' ? ['--import', 'tsx', '-e', code] : ['-e', code];
  const started = process.hrtime.bigint();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...(variant.name === 'tsx' ? TSX_ENV : {}) };
  const out = execFileSync(process.execPath, args, { cwd: REPO, env, encoding: 'utf8' });
  const [cpu, maxRss] = (out.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: cpu ?? 0, peakMb: (maxRss ?? 0) / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main() {
  if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 20) throw new Error('--runs must be 1..20');
  console.log(
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load()} before`,
  );
  if (opts.only !== undefined && VARIANTS.length === 0) throw new Error('--only must be tsx or compiled');
  const compiled = VARIANTS.some((v) => v.name === 'compiled');
  if (compiled && !opts['no-build']) {
    const t = Date.now();
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
    console.log(`npm run build: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  if (compiled && !fs.existsSync(path.join(REPO, 'dist/src/server.js')))
    throw new Error('dist/src/server.js is missing: run npm run build');

  const loads: Record<Variant['name'], { ms: number; cpuMs: number; peakMb: number }[]> = { tsx: [], compiled: [] };
  for (let round = 0; round < RUNS; round++) {
    for (const variant of round % 2 ? [...VARIANTS].reverse() : VARIANTS) {
      const l = loadModulesOnce(variant);
      loads[variant.name].push(l);
      console.log(
        `round ${round + 1} ${variant.name.padEnd(8)} modules only: ${(l.ms / 1000).toFixed(2)} s, CPU ${(l.cpuMs / 1000).toFixed(2)} s, peak RSS ${l.peakMb.toFixed(0)} MB`,
      );
    }
  }

  const samples: Sample[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-startup-'));
  try {
    for (let round = 0; round < RUNS; round++) {
      const order = round % 2 ? [...VARIANTS].reverse() : VARIANTS;
      for (const variant of order) {
        for (const phase of PHASES) {
          const dataDir = path.join(tmp, `${variant.name}-${round}-${phase === 'first' ? 'first' : 'fresh'}`);
          fs.mkdirSync(dataDir, { recursive: true });
          if (phase === 'first') fs.rmSync(TEMPLATE_DIR, { recursive: true, force: true });
          else if (phase === 'fresh' && !fs.existsSync(TEMPLATE_DIR))
            throw new Error('--no-first needs the template: start once without it (or npm start once)');
          const s = await startOnce(variant, dataDir, phase);
          samples.push(s);
          console.log(
            `round ${round + 1} ${variant.name.padEnd(8)} ${phase.padEnd(6)} first 200 of / after ${(s.ms / 1000).toFixed(2)} s, ` +
              `CPU ${(s.cpuMs / 1000).toFixed(2)} s, ` +
              `peak RSS ${s.peakMb.toFixed(0)} MB, RSS ${s.rssMb.toFixed(0)} MB, children ${s.childrenMb.toFixed(0)} MB (load ${load()})`,
          );
        }
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const pick = (v: Variant['name'], p: Phase) => samples.filter((s) => s.variant === v && s.phase === p);
  const both = VARIANTS.length === 2;
  const label = (v: Variant) => (v.name === 'tsx' ? `${TSX_LABEL} (\`npm start\`)` : 'compiled (`npm run start:prod`)');
  const rows: string[][] = [];
  for (const phase of PHASES) {
    const fig = (v: Variant['name']) => {
      const xs = pick(v, phase);
      return {
        ms: median(xs.map((s) => s.ms)),
        cpu: median(xs.map((s) => s.cpuMs)),
        peak: median(xs.map((s) => s.peakMb)),
        rss: median(xs.map((s) => s.rssMb)),
        children: median(xs.map((s) => s.childrenMb)),
      };
    };
    const what = {
      first: 'first start ever, empty data folder, no template',
      fresh: 'fresh, empty data folder, template there',
      second: 'second start, same folder',
    }[phase];
    // child processes (tsx's esbuild service, without its cache) are added to the RSS cell
    const rss = (f: { rss: number; children: number }) =>
      `${f.rss.toFixed(0)} MB${f.children > 0 ? ` + ${f.children.toFixed(0)} MB children` : ''}`;
    for (const v of VARIANTS) {
      const f = fig(v.name);
      rows.push([
        `${what}: ${label(v)}`,
        `${(f.ms / 1000).toFixed(2)} s`,
        `${(f.cpu / 1000).toFixed(2)} s`,
        `${f.peak.toFixed(0)} MB`,
        rss(f),
      ]);
    }
    if (both) {
      const a = fig('tsx');
      const b = fig('compiled');
      rows.push([
        `**${what}: ratio compiled / ${TSX_LABEL}**`,
        `**${(b.ms / a.ms).toFixed(2)}**`,
        `**${(b.cpu / a.cpu).toFixed(2)}**`,
        `**${(b.peak / a.peak).toFixed(2)}**`,
        `**${((b.rss + b.children) / (a.rss + a.children)).toFixed(2)}**`,
      ]);
    }
  }
  const lf = (v: Variant['name']) => ({
    ms: median(loads[v].map((l) => l.ms)),
    cpu: median(loads[v].map((l) => l.cpuMs)),
    peak: median(loads[v].map((l) => l.peakMb)),
  });
  for (const v of VARIANTS) {
    const l = lf(v.name);
    rows.push([
      `loading the modules only: ${v.name === 'tsx' ? TSX_LABEL : 'compiled'}`,
      `${(l.ms / 1000).toFixed(2)} s`,
      `${(l.cpu / 1000).toFixed(2)} s`,
      `${l.peak.toFixed(0)} MB`,
      '',
    ]);
  }
  if (both) {
    const lt = lf('tsx');
    const lc = lf('compiled');
    rows.push([
      `**loading the modules only: ratio compiled / ${TSX_LABEL}**`,
      `**${(lc.ms / lt.ms).toFixed(2)}**`,
      `**${(lc.cpu / lt.cpu).toFixed(2)}**`,
      `**${(lc.peak / lt.peak).toFixed(2)}**`,
      '',
    ]);
  }
  console.log(`\nMedians of ${RUNS} runs (load average ${load()} after):`);
  for (const r of rows) console.log(`  ${r.map((c, i) => c.replace(/\*\*|`/g, '').padEnd(i ? 8 : 72)).join(' ')}`);
  if (opts.markdown) {
    console.log(
      `\n| start (median of ${RUNS}) | first 200 of \`/\` | CPU of the server until then | peak RSS (VmHWM) | RSS after start |`,
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  }
}

const watchdog = setTimeout(() => {
  console.error('bench:startup: gave up after 30 minutes');
  process.exit(2);
}, 30 * 60_000);
watchdog.unref();

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
