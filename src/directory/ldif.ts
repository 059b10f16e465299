/**
 * Reads the small LDIF subset our demo file uses: entries separated by blank lines,
 * `attr: value`, `attr:: base64`, continuation lines starting with one space, comments.
 */
export interface LdifEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

export function parseLdif(text: string): LdifEntry[] {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n /g, '');
  const entries: LdifEntry[] = [];
  for (const block of unfolded.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    if (lines.length === 0) continue;
    let dn: string | undefined;
    const attributes: Record<string, string[]> = {};
    for (const line of lines) {
      const m = /^([A-Za-z][\w-]*)(::?)\s?(.*)$/.exec(line);
      if (!m) throw new Error(`Unreadable LDIF line: ${line}`);
      const [, name, sep, raw] = m as unknown as [string, string, string, string];
      const value = sep === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (name.toLowerCase() === 'dn') dn = value;
      else (attributes[name] ??= []).push(value);
    }
    if (!dn) throw new Error('LDIF entry without dn');
    entries.push({ dn, attributes });
  }
  return entries;
}
