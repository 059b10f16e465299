import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectory, type Directory } from '../../src/directory/directory';
import { rolesFromGroups } from '../../src/directory/user';
import { DEMO_ROLE_GROUPS } from '../../src/config';
import { startTestDirectory, testGroupDn, type TestDirectory } from '../helpers/directory';

/** Runs against the built-in demo directory, and against OpenLDAP when TEST_LDAP_URL is set. */
let dir: TestDirectory;
let directory: Directory;
beforeAll(async () => {
  dir = await startTestDirectory();
  directory = createDirectory(dir.config);
});
afterAll(() => dir.close());

describe(`people lookup in the directory`, () => {
  it('finds a person by user id with name, mail, unit and roles', async () => {
    const user = await directory.findByUid('leitung');
    expect(user).toEqual({
      uid: 'leitung',
      name: 'Dr. Andrea Lange',
      email: 'andrea.lange@hannover-stadt.de',
      unit: '41',
      roles: ['employee', 'unit_head'],
    });
  });

  it('answers undefined for somebody who is not there', async () => {
    expect(await directory.findByUid('niemand')).toBeUndefined();
  });

  it('searches by part of the name, with umlauts, and by the start of the user id', async () => {
    expect((await directory.search('Schäfer')).map((u) => u.uid)).toEqual(['redaktion']);
    expect((await directory.search('redak')).map((u) => u.uid).sort()).toEqual(['redaktion', 'redaktion2']);
    expect((await directory.search('Kim Nowak')).map((u) => u.uid)).toEqual(['redaktion2']);
  });

  it('treats LDAP filter characters in a search as plain text', async () => {
    for (const q of ['*', '*)(uid=*', 'a*)(|(objectClass=*', '\\2a']) {
      expect(await directory.search(q)).toEqual([]);
    }
  });

  it('ignores searches too short to be useful', async () => {
    expect(await directory.search('r')).toEqual([]);
  });

  it('is reachable with the service account, and unreachable on a dead port', async () => {
    expect(await directory.ping()).toBe(true);
    const dead = createDirectory({ ...dir.config, url: 'ldap://127.0.0.1:1', timeoutMs: 500 });
    expect(await dead.ping()).toBe(false);
    await expect(dead.findByUid('leitung')).rejects.toThrow('The directory cannot be reached');
  });

  it('reads the members of a group through the service bind; a missing group is undefined, not empty', async () => {
    const council = await directory.groupMembers(DEMO_ROLE_GROUPS.staff_council);
    expect(council).toEqual([{ uid: 'personalrat', name: 'Mehmet Demir', email: 'mehmet.demir@hannover-stadt.de', unit: 'GPR', roles: ['employee', 'staff_council'] }]);
    expect(await directory.groupMembers('cn=smr-gibtesnicht,ou=groups,dc=hannover-stadt,dc=de')).toBeUndefined();
    const dead = createDirectory({ ...dir.config, url: 'ldap://127.0.0.1:1', timeoutMs: 500 });
    await expect(dead.groupMembers(DEMO_ROLE_GROUPS.staff_council)).rejects.toThrow('The directory cannot be reached');
  });

  it('follows changes of a group at once, and leaves out members that are no people', async () => {
    const group = testGroupDn();
    const person = (uid: string) => `uid=${uid},ou=people,dc=hannover-stadt,dc=de`;
    // the group gives the role hannoverde in this configuration only
    const withGroup = createDirectory({ ...dir.config, roleGroups: { ...dir.config.roleGroups, hannoverde: group } });
    await dir.setGroupMembers(group, [person('kommunikation'), person('admin'), person('gegangen'), DEMO_ROLE_GROUPS.admin]);
    expect((await withGroup.groupMembers(group))?.map((u) => u.uid).sort()).toEqual(['admin', 'kommunikation']);
    expect((await withGroup.findByUid('kommunikation'))?.roles).toEqual(['employee', 'communications', 'hannoverde']);
    await dir.setGroupMembers(group, ['cn=nobody,ou=groups,dc=hannover-stadt,dc=de']);
    expect(await withGroup.groupMembers(group)).toEqual([]);
    expect((await withGroup.findByUid('kommunikation'))?.roles).toEqual(['employee', 'communications']);
  });

  it('refuses to search with a wrong service password', async () => {
    const wrong = createDirectory({ ...dir.config, bindPassword: 'falsch' });
    await expect(wrong.findByUid('leitung')).rejects.toThrow('The directory cannot be reached');
  });
});

describe('group to role mapping', () => {
  it('maps configured groups to roles, case- and space-insensitively, and everybody is an employee', () => {
    expect(rolesFromGroups([], DEMO_ROLE_GROUPS)).toEqual(['employee']);
    expect(
      rolesFromGroups(['CN=smr-admin, OU=groups, DC=hannover-stadt, DC=de', 'cn=other,dc=x'], DEMO_ROLE_GROUPS),
    ).toEqual(['employee', 'admin']);
    expect(rolesFromGroups([DEMO_ROLE_GROUPS.communications], {})).toEqual(['employee']);
  });
});
