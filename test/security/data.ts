import fs from 'node:fs';
import { DEMO_BASE_DN } from '../../src/config';
import { DEMO_LDIF_PATH } from '../../src/directory/demo-server';
import type { SessionUser } from '../../src/directory/user';
import type { RequestData } from '../../src/requests/form';
import { completeRequestData } from '../../src/demo/seed';

/** Test data without any vitest import, so scripts (bench/load.ts, debugging) can use it too. */

const person = (uid: string, cn: string, unit: string, title: string) => `
dn: uid=${uid},ou=people,${DEMO_BASE_DN}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${cn}
sn: ${cn.split(' ').pop()}
mail: ${uid}@hannover-stadt.de
departmentNumber: ${unit}
title: ${title}
userPassword: demo
`;

export function extendedLdif(): string {
  const base = fs.readFileSync(DEMO_LDIF_PATH, 'utf8');
  const leitungMember = `member: uid=leitung,ou=people,${DEMO_BASE_DN}`;
  if (!base.includes(leitungMember)) throw new Error('demo LDIF changed: smr-leitung has no member leitung');
  const withHead = base.replace(leitungMember, `${leitungMember}\nmember: uid=leitung40,ou=people,${DEMO_BASE_DN}`);
  return `${withHead.trimEnd()}\n${person('mitarbeiter', 'Alex Berger', '41', 'Sachbearbeitung Fachbereich Kultur')}${person(
    'redaktion40',
    'Sam Krüger',
    '40',
    'Redakteur*in Fachbereich Schule',
  )}${person('leitung40', 'Dr. Petra Scholz', '40', 'Leitung Fachbereich Schule')}`;
}

export const PEOPLE: Record<string, SessionUser> = {
  redaktion: {
    uid: 'redaktion',
    name: 'Robin Schäfer',
    unit: '41',
    roles: ['employee'],
    email: 'robin.schaefer@hannover-stadt.de',
  },
  redaktion2: {
    uid: 'redaktion2',
    name: 'Kim Nowak',
    unit: '41',
    roles: ['employee'],
    email: 'kim.nowak@hannover-stadt.de',
  },
  redaktion40: {
    uid: 'redaktion40',
    name: 'Sam Krüger',
    unit: '40',
    roles: ['employee'],
    email: 'redaktion40@hannover-stadt.de',
  },
  leitung: {
    uid: 'leitung',
    name: 'Dr. Andrea Lange',
    unit: '41',
    roles: ['employee', 'unit_head'],
    email: 'andrea.lange@hannover-stadt.de',
  },
  kommunikation: {
    uid: 'kommunikation',
    name: 'Jonas Becker',
    unit: '18.62',
    roles: ['employee', 'communications'],
    email: 'jonas.becker@hannover-stadt.de',
  },
  datenschutz: {
    uid: 'datenschutz',
    name: 'Fatma Yılmaz',
    unit: '18.DS',
    roles: ['employee', 'data_protection'],
    email: 'fatma.yilmaz@hannover-stadt.de',
  },
  hannoverde: {
    uid: 'hannoverde',
    name: 'Lena Hoffmann',
    unit: 'HDE',
    roles: ['employee', 'hannoverde'],
    email: 'lena.hoffmann@hannover-stadt.de',
  },
};

/** A complete request (as the demo seeds them), for fixtures made through the real service. */
/** A complete, valid request (the same the demo data files). */
export function requestData(
  name: string,
  account: string,
  unit = '41',
  editors = ['redaktion', 'redaktion2'],
): RequestData {
  return completeRequestData(name, account, unit, editors);
}

let fixtureCounter = 0;
/** A unique account name for fixtures (URLs must be unique per platform). */
export const uniqueAccount = (prefix = 'fixture') =>
  `${prefix}.${process.pid}.${Date.now().toString(36)}.${fixtureCounter++}`;
