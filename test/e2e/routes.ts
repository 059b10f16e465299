import express, { type Express } from 'express';

/**
 * The GET routes of the running application, read from Express' own router tree.
 *
 * Express 5 (router 2.x) keeps each layer's mount path as `layer.rawPath` and each route's
 * path as `layer.route.path`, so mounted routers can be walked recursively from `app.router`.
 * One part of the tree is not reachable that way: app.ts dispatches the staff area through a
 * small function (`STAFF_PATHS.test(req.path) ? staff(req, res, next) : next()`), so the
 * staff router hangs in a closure. To find it, `recordRouters` watches `Router.prototype.use`
 * and `Router.prototype.route` while the app is built and remembers every router that got a
 * layer. A router that got layers but is mounted in no other router is a root: it is
 * dispatched by such a wrapper with the request's path unchanged, so its routes count at their
 * own paths (the wrapper passes `req` through without stripping a prefix).
 */

type Layer = {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
};
type RouterLike = { stack: Layer[] };

const recorded = new WeakMap<Express, Set<RouterLike>>();

/** Builds something that contains an app while watching which routers receive layers. */
export async function recordRouters<T extends { app: Express }>(build: () => Promise<T>): Promise<T> {
  // a router is a function whose prototype chain leads to Router.prototype, which owns use/route
  let proto = Object.getPrototypeOf(express.Router()) as Record<
    'use' | 'route',
    (...args: unknown[]) => unknown
  > | null;
  while (
    proto &&
    !(Object.prototype.hasOwnProperty.call(proto, 'use') && Object.prototype.hasOwnProperty.call(proto, 'route'))
  ) {
    proto = Object.getPrototypeOf(proto);
  }
  if (!proto) throw new Error('Router.prototype.use not found: has Express changed?');
  const originalUse = proto.use;
  const originalRoute = proto.route;
  const seen = new Set<RouterLike>();
  proto.use = function use(this: RouterLike, ...args: unknown[]) {
    seen.add(this);
    return originalUse.apply(this, args);
  };
  proto.route = function route(this: RouterLike, ...args: unknown[]) {
    seen.add(this);
    return originalRoute.apply(this, args);
  };
  let result: T;
  try {
    result = await build();
  } finally {
    proto.use = originalUse;
    proto.route = originalRoute;
  }
  recorded.set(result.app, seen);
  return result;
}

const join = (prefix: string, path: string) => {
  const p = `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  return p.length > 1 ? p.replace(/\/$/, '') : p;
};

export interface RouteInfo {
  method: string;
  path: string;
}

/** Every route (method and full path pattern) of the app, including the staff area's. */
export function appRoutes(app: Express): RouteInfo[] {
  const root = (app as unknown as { router: RouterLike }).router;
  if (!root || !Array.isArray(root.stack)) throw new Error('app.router has no stack: is this Express 5?');
  const routers = recorded.get(app);
  if (!routers) throw new Error('the app was not built inside recordRouters()');

  const mounted = new Set<RouterLike>();
  const collectMounted = (r: RouterLike) => {
    for (const layer of r.stack) {
      const h = layer.handle as RouterLike | undefined;
      if (!layer.route && h && Array.isArray(h.stack) && !mounted.has(h)) {
        mounted.add(h);
        collectMounted(h);
      }
    }
  };
  collectMounted(root);
  for (const r of routers) collectMounted(r);
  const roots = [root, ...[...routers].filter((r) => r !== root && !mounted.has(r))];

  const out: RouteInfo[] = [];
  const walk = (r: RouterLike, prefix: string, trail: Set<RouterLike>) => {
    if (trail.has(r)) return;
    const next = new Set(trail).add(r);
    for (const layer of r.stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') throw new Error(`route with a non-string path below ${prefix}: ${String(p)}`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: join(prefix, p) });
          }
        }
        continue;
      }
      const h = layer.handle as RouterLike | undefined;
      if (h && Array.isArray(h.stack)) {
        const raw = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
        for (const p of raw) {
          if (typeof p !== 'string') throw new Error(`router mounted on a non-string path below ${prefix}`);
          walk(h, join(prefix, p), next);
        }
      }
    }
  };
  for (const r of roots) walk(r, '/', new Set());
  const unique = new Map(out.map((r) => [`${r.method} ${r.path}`, r]));
  return [...unique.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
