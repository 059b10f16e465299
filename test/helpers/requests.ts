import { expect } from 'vitest';
import { csrfFrom, signIn, submitForm } from './http';
import { validForm } from '../requests/fixtures';

type Agent = Awaited<ReturnType<typeof signIn>>;

/** Files and submits a request through the form, as an editor does; returns its id. */
export async function fileRequest(agent: Agent, overrides: Record<string, string> = {}): Promise<number> {
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm(overrides),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  const id = Number(/\/intern\/antraege\/(\d+)/.exec(res.headers.location as string)?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** Decides a step on the request page, with the version the decider saw. */
export async function decide(
  agent: Agent,
  id: number,
  step: string,
  outcome: 'approve' | 'return' | 'reject' = 'approve',
  comment = '',
) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const version = /name="fassung" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(`/intern/antraege/${id}/entscheidung`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), schritt: step, entscheidung: outcome, kommentar: comment, fassung: version });
}

/** A named editor confirms the guidelines and the service agreement on the request page. */
export async function confirmAsEditor(agent: Agent, id: number) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const res = await agent
    .post(`/intern/antraege/${id}/bestaetigen`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), bestaetigung: 'ja' });
  expect(res.status).toBe(303);
}
