import type { GroupRole } from './config';

/** A person (or mailbox) a mail goes to. */
export interface Recipient {
  uid?: string;
  email: string;
  /** Used in the greeting ("Guten Tag Maria Muster,"). */
  name?: string;
}

/** Who a mail to a role goes to; implemented by src/people/roles.ts (people resolve, the outbox delivers). */
export interface RoleResolver {
  /** Everybody a mail to the role goes to: the members with a usable address and the role's mailbox, each address once. */
  recipients(role: GroupRole): Promise<Recipient[]>;
}

/**
 * A plausible single address: something@domain, no spaces, no line breaks, no list.
 * Callers filter recipients with this (a directory entry may lack a usable address);
 * enqueue refuses anything else rather than queue a mail that can never be delivered.
 */
export function isDeliverableAddress(email: string | undefined | null): email is string {
  return typeof email === 'string' && email.length <= 200 && /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/.test(email);
}
