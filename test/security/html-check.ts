/**
 * Checks rendered HTML for injected markup, without a browser (the browser-level "no script
 * runs" checks are the e2e suite's). The portal's own pages have no inline script, no event
 * handler attributes and no javascript:/data: links at all (strict CSP), so any of those is
 * an injection; a payload that contains markup characters must never appear verbatim (EJS
 * escapes & < > " ' everywhere, so a verbatim copy means an unescaped output).
 */

export const XSS_MARK = 'xSsMaRk';

/** The XSS corpus: each payload carries a numbered marker so a finding names its payload. */
export const XSS_PAYLOADS: string[] = [
  `<script>alert('${XSS_MARK}01')</script>`,
  `"><script>alert(${XSS_MARK}02)</script>`,
  `'><img src=x onerror=alert('${XSS_MARK}03')>`,
  `<img src=x onerror=alert(${XSS_MARK}04)>`,
  `<svg/onload=alert('${XSS_MARK}05')>`,
  `" autofocus onfocus="alert('${XSS_MARK}06')`,
  `' onmouseover='alert(${XSS_MARK}07)`,
  `javascript:alert('${XSS_MARK}08')`,
  `</textarea><script>alert('${XSS_MARK}09')</script>`,
  `</title><script>alert('${XSS_MARK}10')</script>`,
  `<iframe src="javascript:alert('${XSS_MARK}11')"></iframe>`,
  `<a href="javascript:alert('${XSS_MARK}12')">${XSS_MARK}12</a>`,
  `{{constructor.constructor('alert(${XSS_MARK}13)')()}}`,
  `<%= process.pid %>${XSS_MARK}14<%- '<b>' %>`,
  `&lt;script&gt;alert('${XSS_MARK}15')&lt;/script&gt;`,
  `<style>*{background:url("//evil.example/${XSS_MARK}16")}</style>`,
  `<base href="//evil.example/${XSS_MARK}17">`,
  `<meta http-equiv="refresh" content="0;url=//evil.example/${XSS_MARK}18">`,
  `\u2028\u2029<script>${XSS_MARK}19</script>`,
  `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#${XSS_MARK}20`,
  `<scr<script>ipt>alert(${XSS_MARK}21)</scr</script>ipt>`,
  `%3Cscript%3Ealert(${XSS_MARK}22)%3C%2Fscript%3E`,
  `<!--${XSS_MARK}23--><script>/*`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(${XSS_MARK}24)>`,
];

const MARKUP = /[<>"'&]/;
const DANGEROUS_TAGS = new Set([
  'iframe',
  'object',
  'embed',
  'base',
  'frame',
  'frameset',
  'applet',
  'style',
  'svg',
  'math',
  'form-injected',
]);
/**
 * The portal draws its own inline SVG (the route of a request, the charts of the process figures:
 * src/oversight/route-svg.ts, svg.ts). Only that opening tag is allowed: the SVG namespace, class
 * "route" or "chart …" and role="img". An injected <svg> has none of this (and its attributes and
 * children are checked like every other tag's).
 */
const OWN_DRAWING =
  /^\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="(?:route|chart [a-z-]+)" id="[a-z0-9-]+" role="img" /;
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'srcdoc',
  'data',
  'xlink:href',
  'poster',
  'background',
]);

const decodeEntities = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&amp;/g, '&');

export interface Finding {
  problem: string;
  excerpt: string;
}

const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Everything suspicious in one HTML document. */
export function findInjections(html: string, payloads: string[] = XSS_PAYLOADS): Finding[] {
  const findings: Finding[] = [];
  const near = (i: number) => html.slice(Math.max(0, i - 120), i + 200).replace(/\s+/g, ' ');

  for (const p of payloads) {
    if (!MARKUP.test(p)) continue;
    const at = html.indexOf(p);
    if (at >= 0) findings.push({ problem: `payload verbatim (unescaped): ${p}`, excerpt: near(at) });
  }

  // strip comments and the doctype; a comment holding a marker is itself an injection
  const commentRe = /<!--([\s\S]*?)-->/g;
  for (const m of html.matchAll(commentRe)) {
    if (m[1]?.toLowerCase().includes(XSS_MARK.toLowerCase()))
      findings.push({ problem: 'marker inside an HTML comment', excerpt: near(m.index ?? 0) });
  }
  const body = html
    .replace(commentRe, (m) => ' '.repeat(m.length))
    .replace(/<!doctype[^>]*>/i, (m) => ' '.repeat(m.length));

  const tagRe =
    /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
  let inScript = false;
  let scriptStart = 0;
  let last = 0;
  for (const m of body.matchAll(tagRe)) {
    const index = m.index ?? 0;
    const closing = m[1] === '/';
    const name = (m[2] ?? '').toLowerCase();
    const attrs = m[3] ?? '';
    // text between tags must not contain a '<' that starts something tag-like
    const text = body.slice(last, index);
    if (!inScript && /<[a-zA-Z!/?]/.test(text))
      findings.push({
        problem: 'malformed tag-like text (unescaped "<")',
        excerpt: near(last + text.search(/<[a-zA-Z!/?]/)),
      });
    last = index + m[0].length;
    if (inScript) {
      if (closing && name === 'script') {
        const content = body.slice(scriptStart, index);
        if (content.trim() !== '') findings.push({ problem: 'inline script content', excerpt: near(scriptStart) });
        inScript = false;
      }
      continue;
    }
    if (closing) continue;
    if (name.toLowerCase().includes(XSS_MARK.toLowerCase()))
      findings.push({ problem: `injected tag <${name}>`, excerpt: near(index) });
    if (DANGEROUS_TAGS.has(name) && !(name === 'svg' && OWN_DRAWING.test(attrs)))
      findings.push({ problem: `forbidden tag <${name}>`, excerpt: near(index) });
    const parsed: Array<[string, string]> = [];
    for (const a of attrs.matchAll(ATTR)) {
      const attrName = (a[1] ?? '').toLowerCase();
      const value = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      parsed.push([attrName, value]);
      if (attrName.startsWith('on'))
        findings.push({ problem: `event handler attribute ${attrName} on <${name}>`, excerpt: near(index) });
      if (attrName.includes(XSS_MARK.toLowerCase()))
        findings.push({ problem: `injected attribute ${attrName}`, excerpt: near(index) });
      if (attrName === 'style' && value.toLowerCase().includes(XSS_MARK.toLowerCase()))
        findings.push({ problem: 'payload inside a style attribute', excerpt: near(index) });
      if (URL_ATTRIBUTES.has(attrName)) {
        const v = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(v) && !(name === 'img' && v.startsWith('data:image/'))) {
          findings.push({ problem: `${attrName}="${value.slice(0, 60)}" on <${name}>`, excerpt: near(index) });
        }
      }
    }
    if (name === 'meta' && parsed.some(([n, v]) => n === 'http-equiv' && v.toLowerCase() === 'refresh'))
      findings.push({ problem: 'meta refresh', excerpt: near(index) });
    if (name === 'script') {
      const src = parsed.find(([n]) => n === 'src')?.[1];
      if (!src || !src.startsWith('/assets/'))
        findings.push({ problem: `script not from /assets: ${src ?? '(inline)'}`, excerpt: near(index) });
      inScript = true;
      scriptStart = last;
    }
  }
  const tail = body.slice(last);
  if (/<[a-zA-Z!/?]/.test(tail)) findings.push({ problem: 'malformed tag-like text at the end', excerpt: near(last) });
  return findings;
}

/** How often the marker is shown as text (escaped): proves the payload reached the page at all. */
export function markerCount(html: string): number {
  return html.split(XSS_MARK).length - 1;
}
