import { demoEntries } from './demo-server';

/** One row of the sign-in page's table of test accounts. */
export interface DemoAccount {
  uid: string;
  description: string;
}

/** The demo directory's people, for the sign-in page's table of test accounts. */
export function demoAccounts(): DemoAccount[] {
  return demoEntries()
    .filter((e) => e.attributes.uid?.[0])
    .map((e) => ({ uid: e.attributes.uid?.[0] ?? '', description: `${e.attributes.cn?.[0] ?? ''} – ${e.attributes.title?.[0] ?? ''}` }));
}
