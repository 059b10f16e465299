import { createHash } from 'node:crypto';
import type { RegisterState } from './store';

/**
 * Per-instance cache of rendered public responses. It is only a cache: the database's
 * register version (migration 0004) is the truth, read once per request, so a change made
 * through any instance is visible on every instance with its next request.
 */

export interface CachedResponse {
  status: number;
  type: string;
  body: Buffer;
  etag: string;
  /** HTTP date (RFC 7231) of the register change this response reflects. */
  lastModified: string;
}

/** A bounded LRU (entries and bytes). Map keeps insertion order; a hit moves to the end. */
export class LruCache<V extends { body: Buffer }> {
  private readonly map = new Map<string, V>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (value.body.length > this.maxBytes) return;
    this.delete(key);
    this.map.set(key, value);
    this.bytes += value.body.length;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.bytes -= old.body.length;
      this.map.delete(key);
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
}

/**
 * Reads the register version, sharing one query among requests that arrive while a read
 * is in flight — but only a read that STARTED after they arrived, so no request can see a
 * version older than the last commit before it came in. Under load this is about one
 * query per database round trip instead of one per request.
 *
 * Where the database tells us about every commit that changes the register (push mode:
 * the embedded database lives in this process and delivers NOTIFY register_changed), the
 * last version read stays valid until the next notification, and requests need no query
 * at all. A read that overlapped a notification is never kept.
 */
export class VersionReader {
  private inFlight: Promise<RegisterState> | undefined;
  private next: Promise<RegisterState> | undefined;
  private pushMode = false;
  private known: RegisterState | undefined;
  private generation = 0;

  constructor(private readonly read: () => Promise<RegisterState>) {}

  /** From now on, `changed()` is called after every commit that changes the register. */
  enablePush(): void {
    this.pushMode = true;
    this.changed();
  }

  /** A commit changed the register: the version must be read again. */
  changed(): void {
    this.generation += 1;
    this.known = undefined;
  }

  current(): Promise<RegisterState> {
    if (this.known !== undefined) return Promise.resolve(this.known);
    if (this.inFlight === undefined) return this.start();
    if (this.next === undefined) {
      const after = this.inFlight.then(
        () => undefined,
        () => undefined,
      );
      this.next = after.then(() => {
        this.next = undefined;
        return this.start();
      });
    }
    return this.next;
  }

  private start(): Promise<RegisterState> {
    const generation = this.generation;
    const p = this.read();
    this.inFlight = p;
    const clear = () => {
      if (this.inFlight === p) this.inFlight = undefined;
    };
    p.then((state) => {
      clear();
      if (this.pushMode && generation === this.generation) this.known = state;
    }, clear);
    return p;
  }
}

/** Strong ETag: register version plus a hash of the bytes (so a new release never collides). */
export function etagFor(version: number, body: Buffer): string {
  return `"v${version}-${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Rendered responses, keyed by register version + locale + normalised request. */
export class ResponseCache {
  private readonly lru: LruCache<CachedResponse>;
  private version = 0;

  constructor(maxEntries = 500, maxBytes = 64 * 1024 * 1024) {
    this.lru = new LruCache(maxEntries, maxBytes);
  }

  get size(): number {
    return this.lru.size;
  }

  get(state: RegisterState, key: string): CachedResponse | undefined {
    if (state.version > this.version) {
      // every entry belongs to an older version now
      this.lru.clear();
      this.version = state.version;
    }
    return state.version === this.version ? this.lru.get(key) : undefined;
  }

  set(state: RegisterState, key: string, value: CachedResponse): void {
    if (state.version === this.version) this.lru.set(key, value);
  }
}

/**
 * Answers of a lookup that depend on the register only (the verification's "which presence
 * has this account?"), kept per register version: a newer version empties it, an answer read
 * for an older version is never kept. Keyed by the caller's canonical key (never a raw query
 * string), bounded in entries; least recently used entries go first.
 */
export class VersionedLru<V> {
  private readonly map = new Map<string, V>();
  private version = -1;

  constructor(readonly maxEntries = 5000) {}

  get size(): number {
    return this.map.size;
  }

  get(version: number, key: string): V | undefined {
    if (version > this.version) {
      this.map.clear();
      this.version = version;
    }
    if (version !== this.version) return undefined;
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(version: number, key: string, value: V): void {
    if (version !== this.version) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }
}
