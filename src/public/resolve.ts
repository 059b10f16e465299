/**
 * Optional (VERIFY_RESOLVE_LINKS, off by default): follows a platform's share link
 * (facebook.com/share/…) to the account it leads to, so the account check can answer
 * "official" instead of "cannot be checked".
 *
 * Bounded on purpose, because a citizen's input makes the portal send a request:
 * - only URLs the caller allows are requested: the pasted link (a link of a platform's own
 *   hosts, no user info, no port) and each redirect target the caller accepts; a redirect
 *   anywhere else ends the chain unrequested;
 * - https only, GET without body reading, no cookies (nothing is stored or sent), a short
 *   time limit for the whole chain, at most a few hops;
 * - answers are kept for an hour (failures for five minutes), so repeating a link sends nothing.
 */

export type Step = 'done' | 'follow' | 'stop';

export interface LinkResolverOptions {
  /** Time limit for the whole chain of requests. */
  timeoutMs: number;
  /** Redirects followed at most. */
  maxHops?: number;
  cacheEntries?: number;
  cacheMs?: number;
  /** Failures (timeouts, a redirect off the list) are tried again sooner. */
  failureCacheMs?: number;
  now?: () => number;
  /**
   * Where a request for an allowed URL is really sent. Tests send the platform's hosts to a
   * fake server on 127.0.0.1; in production the URL itself.
   */
  route?: (url: URL) => URL;
}

export interface LinkResolver {
  /**
   * Follows `link`. `judge(url)` decides about each redirect target: 'done' (the account
   * address; returned), 'follow' (another link of the platform's own hosts) or 'stop'.
   * Returns null when the chain ends anywhere else, fails or takes too long.
   */
  resolve(link: string, judge: (url: string) => Step): Promise<string | null>;
}

const USER_AGENT = 'Social-Media-Register (account check; +https://www.hannover.de)';

/** The pasted link as an https URL without fragment, or null. */
function startUrl(link: string): URL | null {
  const text = link.trim();
  try {
    const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text.replace(/^[/\\]+/, '')}`);
    if (url.username || url.password || url.port) return null;
    url.protocol = 'https:';
    url.hash = '';
    return url;
  } catch {
    return null;
  }
}

export function createLinkResolver(options: LinkResolverOptions): LinkResolver {
  const maxHops = options.maxHops ?? 3;
  const cacheEntries = options.cacheEntries ?? 1000;
  const cacheMs = options.cacheMs ?? 60 * 60 * 1000;
  const failureCacheMs = options.failureCacheMs ?? 5 * 60 * 1000;
  const now = options.now ?? Date.now;
  const route = options.route ?? ((url: URL) => url);
  const cache = new Map<string, { at: number; value: string | null }>();

  async function follow(start: URL, judge: (url: string) => Step): Promise<string | null> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let current = start;
    for (let hop = 0; hop <= maxHops; hop++) {
      const response = await fetch(route(current), {
        method: 'GET',
        redirect: 'manual',
        credentials: 'omit',
        signal,
        headers: { 'User-Agent': USER_AGENT, Accept: 'text/html' },
      });
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || !location) return null;
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return null;
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return null;
      next.hash = '';
      const step = judge(next.toString());
      if (step === 'done') return next.toString();
      if (step !== 'follow') return null;
      next.protocol = 'https:';
      current = next;
    }
    return null;
  }

  return {
    async resolve(link, judge) {
      const start = startUrl(link);
      if (!start) return null;
      const key = start.toString();
      const cached = cache.get(key);
      if (cached && now() - cached.at < (cached.value === null ? failureCacheMs : cacheMs)) return cached.value;
      let value: string | null;
      try {
        value = await follow(start, judge);
      } catch {
        value = null; // timeout, refused connection, DNS: "cannot be checked", as without resolving
      }
      if (cache.size >= cacheEntries) cache.delete(cache.keys().next().value as string);
      cache.set(key, { at: now(), value });
      return value;
    },
  };
}
