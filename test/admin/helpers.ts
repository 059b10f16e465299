import { expect } from 'vitest';
import type request from 'supertest';
import { csrfFrom, signIn } from '../helpers/http';

export type Agent = Awaited<ReturnType<typeof signIn>>;

/** A CSRF token of the agent's session, read from a page as a browser would. */
export async function tokenOf(agent: Agent, page = '/intern'): Promise<string> {
  const res = await agent.get(page).expect(200);
  return csrfFrom(res.text);
}

/** POSTs a form with the session's CSRF token. */
export async function post(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  page = '/intern',
): Promise<request.Response> {
  return agent
    .post(url)
    .type('form')
    .send({ ...fields, _csrf: await tokenOf(agent, page) });
}

/** Decodes the few entities EJS escapes, for assertions on visible text. */
export function text(html: string): string {
  return html
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function expectRedirect(res: request.Response, to: RegExp): string {
  expect(res.status, res.text.slice(0, 3000)).toBe(303);
  expect(res.headers.location).toMatch(to);
  return res.headers.location as string;
}

export const NON_ADMINS = [
  'redaktion',
  'leitung',
  'kommunikation',
  'datenschutz',
  'hannoverde',
  'personalrat',
] as const;
