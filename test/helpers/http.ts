import request from 'supertest';
import type { Express } from 'express';

/** Reads the CSRF token from a rendered form, as a browser would submit it. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('No CSRF token in the page');
  return m[1];
}

export function cookieOf(res: request.Response): string | undefined {
  const set = res.headers['set-cookie'] as unknown as string[] | undefined;
  return set?.find((c) => c.startsWith('smr.sid='))?.split(';')[0];
}

/** Signs in through the real form (GET for the token, POST the credentials). */
export async function signIn(app: Express, username: string, password = 'demo') {
  const agent = request.agent(app);
  const form = await agent.get('/anmelden').expect(200);
  const res = await agent
    .post('/anmelden')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(form.text) });
  if (res.status !== 303) throw new Error(`Sign-in of ${username} failed with ${res.status}`);
  return agent;
}

/** GETs a page with a form and POSTs to `action` with the page's CSRF token. */
export async function submitForm(
  agent: request.Agent,
  pageUrl: string,
  action: string,
  fields: Record<string, string | string[]>,
) {
  const page = await agent.get(pageUrl).expect(200);
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page.text) });
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * On a confirmation page (views/partials/confirm.ejs) presses its one button that acts:
 * POSTs the page's form, with its hidden fields as the page holds them, and bestaetigt=1.
 */
export async function confirmOnPage(agent: request.Agent, page: request.Response) {
  const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g;
  for (const m of page.text.matchAll(form)) {
    const [, action, inner] = m as unknown as [string, string, string];
    if (!inner.includes('name="bestaetigt" value="1"')) continue;
    // a name may repeat (checkboxes carried over): it goes back as a list, as a browser sends it
    const fields: Record<string, string | string[]> = {};
    for (const h of inner.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      const [name, value] = [h[1] as string, unescapeHtml(h[2] as string)];
      const had = fields[name];
      fields[name] = had === undefined ? value : [...[had].flat(), value];
    }
    return agent
      .post(unescapeHtml(action))
      .type('form')
      .send({ ...fields, bestaetigt: '1' });
  }
  throw new Error(`No confirmation form on the page (status ${page.status})`);
}
