import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Nu Html Checker from npm `vnu-jar`, run with the machine's Java (17 here). */
export const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const JAVA = process.env.JAVA || 'java';

export interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: string;
  message: string;
  extract?: string;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
  url?: string;
}

/**
 * Checks every document in ONE java invocation (the JVM start dominates otherwise).
 * Returns the messages per key; `error` and `non-document-error` are errors, `info` with
 * subType `warning` are warnings.
 */
export async function checkDocuments(docs: Array<{ key: string; html: string }>): Promise<Map<string, VnuMessage[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-vnu-'));
  const byFile = new Map<string, string>();
  try {
    const files = docs.map((d, i) => {
      const file = path.join(dir, `${String(i).padStart(3, '0')}.html`);
      fs.writeFileSync(file, d.html);
      byFile.set(file, d.key);
      return file;
    });
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        JAVA,
        ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--stdout', '--exit-zero-always', ...files],
        { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (err, out, errText) => (err ? reject(new Error(`vnu failed: ${err.message}\n${errText}`)) : resolve(out)),
      );
    });
    const parsed = JSON.parse(stdout) as { messages: VnuMessage[] };
    const result = new Map<string, VnuMessage[]>(docs.map((d) => [d.key, []]));
    for (const m of parsed.messages) {
      const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : '';
      const key = byFile.get(file);
      if (key === undefined) throw new Error(`vnu reported on an unknown document: ${JSON.stringify(m)}`);
      result.get(key)?.push(m);
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const isError = (m: VnuMessage) => m.type === 'error' || m.type === 'non-document-error';
export const isWarning = (m: VnuMessage) => m.type === 'info' && m.subType === 'warning';

export const describeMessage = (m: VnuMessage) =>
  `line ${m.lastLine ?? '?'}: ${m.message}${m.extract ? ` — ${JSON.stringify(m.extract.trim().slice(0, 160))}` : ''}`;
