import type { Directory } from '../../directory/directory';
import type { SessionUser } from '../../directory/user';

/**
 * Directory lookups for an import: each user id once, a few at a time. The returned
 * directory answers repeated questions from memory (for the length of one import only),
 * so mail addressing during the import does not ask the directory again for every row.
 */
export function memoDirectory(
  directory: Directory,
): Directory & { lookupAll(uids: Iterable<string>): Promise<Map<string, SessionUser | undefined>> } {
  const cache = new Map<string, Promise<SessionUser | undefined>>();
  const findByUid = (uid: string) => {
    let hit = cache.get(uid);
    if (!hit) {
      hit = directory.findByUid(uid);
      cache.set(uid, hit);
      hit.catch(() => cache.delete(uid));
    }
    return hit;
  };
  return {
    config: directory.config,
    strategy: () => directory.strategy(),
    search: (q, limit) => directory.search(q, limit),
    ping: () => directory.ping(),
    groupMembers: (dn) => directory.groupMembers(dn),
    findByUid,
    async lookupAll(uids) {
      const list = [...new Set(uids)];
      const out = new Map<string, SessionUser | undefined>();
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const uid = list[next++] as string;
          out.set(uid, await findByUid(uid));
        }
      };
      await Promise.all(Array.from({ length: Math.min(8, list.length) }, worker));
      return out;
    },
  };
}
