/**
 * Platform catalogue: which hosts belong to a platform and how an account URL on
 * that platform is reduced to a canonical account id.
 *
 * The rules are DATA. Administrators edit them in the portal (with a preview), so
 * everything here is validated by `platformRulesSchema`, and `canonical.ts` only
 * interprets the data; it knows nothing about Facebook, YouTube, ...
 *
 * How `canonical.ts` applies a `PlatformRules` object (summary; see canonical.ts):
 *
 *  1. The URL's host must equal one of `hosts` exactly (after lower-casing and removing
 *     one trailing dot). No wildcards, no suffix matching.
 *  2. The path is percent-decoded segment by segment and normalised: empty segments
 *     (double and trailing slashes) are dropped, so `/hannover.de//` becomes
 *     `/hannover.de` and the bare host becomes `/` (never an account).
 *  3. `patterns` are tried in order. `path` is a regular expression source matched
 *     case-insensitively against the WHOLE normalised path (it is wrapped as
 *     `^(?:path)$`), so allow trailing segments explicitly, e.g. `(?:/.*)?`.
 *     The first pattern whose path matches decides:
 *       - if it names a `query` parameter, that parameter must occur exactly once and
 *         match `queryPattern` (whole value), otherwise the URL is not an account;
 *       - if a capture group covers the first path segment (the pattern takes the first
 *         segment as the account name) and that segment is listed in
 *         `reservedFirstSegments`, the URL is not an account. Patterns that spell a
 *         reserved word literally (`/pages/...`) are not affected.
 *     Before the patterns, `unresolvable` rules are tried the same way (whole normalised
 *     path, case-insensitive, optionally only on some of the hosts): a link that matches
 *     belongs to the platform but names no account that could be read from it (share links
 *     "Link kopieren" produces, short video links, link shorteners). Such a link is neither
 *     official nor "not registered": the public check answers "cannot be checked".
 *  4. The id is `idTemplate` rendered and lower-cased. The URL is `urlTemplate` of the
 *     pattern if set, else `numericIdUrlTemplate` if set and the id is numeric
 *     (`123` or `prefix:123`), else `canonicalUrlTemplate`.
 *
 * Template placeholders:
 *   {1} ... {9}  capture groups of the pattern's `path` (percent-decoded, original case)
 *   {query}      value of the pattern's query parameter
 *   {host}       the matched host name
 *   {id}         the canonical id (URL templates only)
 *   {num}        the digits of a numeric id (numericIdUrlTemplate only)
 * Values inserted into URL templates are percent-encoded where needed.
 */
import { z } from 'zod';

/** Placeholders allowed in platform-level URL templates (patterns vary, so no {1}). */
const PLATFORM_URL_PLACEHOLDERS = new Set(['id', 'host']);
const NUMERIC_URL_PLACEHOLDERS = new Set(['id', 'host', 'num']);

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Returns an error message, or null if `host` is a plain lower-case host name. */
export function hostNameProblem(host: string): string | null {
  if (host.length === 0) return 'Host name must not be empty';
  if (host.includes('*')) {
    return `Host "${host}": wildcards ("*") are not allowed; list every host name explicitly (e.g. "www.facebook.com")`;
  }
  if (/[\s/:@\\?#]/.test(host)) {
    return `Host "${host}" must be a plain host name without scheme, path, port, user or spaces (e.g. "www.facebook.com")`;
  }
  if (host !== host.toLowerCase()) return `Host "${host}" must be written in lower case`;
  if (host.endsWith('.')) return `Host "${host}" must not end with a dot`;
  if (host.length > 253) return `Host "${host}" is too long`;
  const labels = host.split('.');
  if (labels.length < 2) return `Host "${host}" must be a full domain name such as "facebook.com"`;
  if (!labels.every((l) => HOST_LABEL.test(l))) {
    return `Host "${host}" is not a valid host name (letters a-z, digits, hyphens and dots only; write internationalised names in punycode "xn--...")`;
  }
  if (!/^[a-z]/.test(labels[labels.length - 1] ?? '')) {
    return `Host "${host}" must be a domain name, not an IP address`;
  }
  return null;
}

/** Number of capture groups of a compilable regex source. */
function captureGroupCount(source: string): number {
  const m = new RegExp(`${source}|`).exec('');
  return m ? m.length - 1 : 0;
}

/** Returns an error message, or null if the template only uses allowed placeholders. */
function templateProblem(template: string, what: string, allowed: (name: string) => boolean): string | null {
  const names = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  const rest = template.replace(/\{[^{}]*\}/g, '');
  if (rest.includes('{') || rest.includes('}')) return `${what} "${template}" has an unbalanced "{" or "}"`;
  for (const name of names) {
    if (!allowed(name)) return `${what} "${template}" uses the unknown placeholder "{${name}}"`;
  }
  return null;
}

function urlTemplateProblem(template: string, what: string, allowed: (name: string) => boolean): string | null {
  if (!/^https?:\/\//.test(template)) return `${what} "${template}" must start with "https://" (or "http://")`;
  return templateProblem(template, what, allowed);
}

/**
 * A path rule's regular expression: valid (case-insensitive) and anchored at "/". Reports the
 * problem at `path` and says whether the expression can be used at all.
 */
function checkPathRegex(ctx: z.RefinementCtx, label: string, path: string, example: string): boolean {
  try {
    new RegExp(path, 'i');
  } catch (e) {
    ctx.addIssue({
      code: 'custom',
      path: ['path'],
      message: `${label} "${path}" is not a valid regular expression: ${(e as Error).message}`,
    });
    return false;
  }
  if (!path.startsWith('/'))
    ctx.addIssue({ code: 'custom', path: ['path'], message: `${label} "${path}" must start with "/" ${example}` });
  return true;
}

export const platformPatternSchema = z
  .object({
    /** Regex source matched case-insensitively against the whole normalised path. */
    path: z.string().min(1, 'Pattern path must not be empty').max(500),
    /** Name of a query parameter whose value is (part of) the id, e.g. 'id'. */
    query: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9_.-]+$/, 'Query parameter name may only contain letters, digits, "_", "." and "-"')
      .optional(),
    /** Regex source the whole query value must match (case-insensitive); default: any non-empty value. */
    queryPattern: z.string().min(1).max(200).optional(),
    /** e.g. '{1}', 'id:{query}', '@{1}'. */
    idTemplate: z.string().min(1, 'idTemplate must not be empty').max(200),
    /** Overrides the platform's canonical URL for ids found by this pattern. */
    urlTemplate: z.string().min(1).max(500).optional(),
  })
  .superRefine((p, ctx) => {
    if (
      !checkPathRegex(
        ctx,
        'Pattern path',
        p.path,
        '(it is matched against the whole path, e.g. "/([a-z0-9.]+)(?:/.*)?")',
      )
    )
      return;
    const groups = captureGroupCount(p.path);
    if (p.queryPattern !== undefined) {
      try {
        new RegExp(p.queryPattern, 'i');
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          path: ['queryPattern'],
          message: `queryPattern "${p.queryPattern}" is not a valid regular expression: ${(e as Error).message}`,
        });
      }
      if (p.query === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['queryPattern'],
          message: 'queryPattern needs "query" (the parameter name)',
        });
      }
    }
    const allowed = (name: string, extra: Set<string>): boolean => {
      if (/^[1-9]$/.test(name)) return Number(name) <= groups;
      if (name === 'query') return p.query !== undefined;
      return name === 'host' || extra.has(name);
    };
    const idProblem = templateProblem(p.idTemplate, 'idTemplate', (n) => allowed(n, new Set()));
    if (idProblem) {
      ctx.addIssue({
        code: 'custom',
        path: ['idTemplate'],
        message: `${idProblem} (allowed: {1}..{${groups}} for the ${groups} capture group(s) of the path${p.query ? ', {query}' : ''}, {host})`,
      });
    } else if (!/\{[^{}]*\}/.test(p.idTemplate)) {
      ctx.addIssue({
        code: 'custom',
        path: ['idTemplate'],
        message: `idTemplate "${p.idTemplate}" contains no placeholder, so every URL would get the same id`,
      });
    }
    if (p.urlTemplate !== undefined) {
      const problem = urlTemplateProblem(p.urlTemplate, 'urlTemplate', (n) => allowed(n, new Set(['id'])));
      if (problem) ctx.addIssue({ code: 'custom', path: ['urlTemplate'], message: problem });
    }
  });

/** A link form of the platform that names no account (see the summary at the top). */
export const unresolvableRuleSchema = z
  .object({
    /** Regex source matched case-insensitively against the whole normalised path. */
    path: z.string().min(1, 'Unresolvable path must not be empty').max(500),
    /** Only on these hosts (plain host names, as in the host list); default: every host. */
    hosts: z.array(z.string().max(253)).min(1).max(100).optional(),
  })
  .strict()
  .superRefine((u, ctx) => {
    checkPathRegex(ctx, 'Unresolvable path', u.path, '(e.g. "/share/.+")');
  });

export const platformRulesSchema = z
  .object({
    /** Exact lower-case host names, no wildcards; including the platform's short and mobile hosts. */
    hosts: z.array(z.string().max(253)).min(1, 'At least one host name is required').max(100),
    patterns: z.array(platformPatternSchema).min(1, 'At least one pattern is required').max(50),
    /** Links that belong to the platform but name no account (share links, short video links). */
    unresolvable: z.array(unresolvableRuleSchema).max(50).optional(),
    /** First path segments that are never accounts ('groups', 'events', 'sharer.php', ...). */
    reservedFirstSegments: z
      .array(
        z
          .string()
          .min(1, 'Reserved segment must not be empty')
          .max(100)
          .refine((s) => !/[\s/?#]/.test(s), {
            message: 'Reserved segment must be a single path segment without "/", "?", "#" or spaces',
          }),
      )
      .max(500),
    /** e.g. 'https://www.facebook.com/{id}'. */
    canonicalUrlTemplate: z.string().min(1).max(500),
    /** For numeric ids ('123' or 'id:123'): e.g. 'https://www.facebook.com/profile.php?id={num}'. */
    numericIdUrlTemplate: z.string().min(1).max(500).optional(),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.hosts.forEach((h, i) => {
      const problem = hostNameProblem(h);
      if (problem) ctx.addIssue({ code: 'custom', path: ['hosts', i], message: problem });
      else if (seen.has(h))
        ctx.addIssue({ code: 'custom', path: ['hosts', i], message: `Host "${h}" is listed twice` });
      seen.add(h);
    });
    // A rule for a host that is not (or no longer) in the host list never applies: removing a
    // host from the list must not need a second edit here.
    (r.unresolvable ?? []).forEach((u, i) => {
      (u.hosts ?? []).forEach((h, j) => {
        const problem = hostNameProblem(h);
        if (problem) ctx.addIssue({ code: 'custom', path: ['unresolvable', i, 'hosts', j], message: problem });
      });
    });
    const canonical = urlTemplateProblem(r.canonicalUrlTemplate, 'canonicalUrlTemplate', (n) =>
      PLATFORM_URL_PLACEHOLDERS.has(n),
    );
    if (canonical)
      ctx.addIssue({ code: 'custom', path: ['canonicalUrlTemplate'], message: `${canonical} (allowed: {id}, {host})` });
    if (r.numericIdUrlTemplate !== undefined) {
      const numeric = urlTemplateProblem(r.numericIdUrlTemplate, 'numericIdUrlTemplate', (n) =>
        NUMERIC_URL_PLACEHOLDERS.has(n),
      );
      if (numeric)
        ctx.addIssue({
          code: 'custom',
          path: ['numericIdUrlTemplate'],
          message: `${numeric} (allowed: {num}, {id}, {host})`,
        });
    }
  });

export type PlatformPattern = z.infer<typeof platformPatternSchema>;
export type PlatformRules = z.infer<typeof platformRulesSchema>;

export const platformDefinitionSchema = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'Platform key must be lower-case letters, digits, "_" or "-" (max. 40)'),
  name: z.string().min(1).max(100),
  enabled: z.boolean(),
  sortOrder: z.number().int(),
  rules: platformRulesSchema,
});

export type PlatformDefinition = z.infer<typeof platformDefinitionSchema>;

/**
 * Validates rules entered by an administrator. Error messages are prefixed with the
 * field path (e.g. "hosts[2]: ...") so a form can show them.
 */
export function parsePlatformRules(
  input: unknown,
): { ok: true; rules: PlatformRules } | { ok: false; errors: string[] } {
  const parsed = platformRulesSchema.safeParse(input);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const where = issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
        .join('');
      return where ? `${where}: ${issue.message}` : issue.message;
    }),
  };
}

/** Lets a pattern take the first segment as account name but allow anything after it. */
const REST = '(?:/.*)?';

/**
 * Facebook (the only platform enabled out of the box).
 *
 * Hosts: the web and mobile front ends that serve profiles and pages under the same
 * paths, and Facebook's short hosts: fb.me/<name> leads to facebook.com/<name>; fb.watch
 * links are videos (no account in the link). Deliberately NOT listed: l.facebook.com /
 * lm.facebook.com (outbound link redirectors: the link leads to another site),
 * business.facebook.com (Business Suite, not pages).
 *
 * Unresolvable: the links "Link kopieren" produces in the apps (/share/<code>, /share/p/…,
 * /share/v/…, /share/r/…), single posts, videos and reels, and fb.me short links of events
 * and the like (fb.me/e/<code>): each belongs to some account, but which one only Facebook knows.
 */
const facebookRules: PlatformRules = {
  hosts: [
    'facebook.com',
    'www.facebook.com',
    'm.facebook.com',
    'mbasic.facebook.com',
    'web.facebook.com',
    'de-de.facebook.com',
    'touch.facebook.com',
    'fb.com',
    'www.fb.com',
    'm.fb.com',
    'fb.me',
    'fb.watch',
  ],
  unresolvable: [
    { path: `/share${REST}` },
    { path: `/(?:watch|reel|story\\.php|permalink\\.php|photo\\.php|video\\.php)${REST}` },
    { path: '/.+', hosts: ['fb.watch'] },
    { path: '/[a-z]/.+', hosts: ['fb.me'] },
  ],
  patterns: [
    // profile.php?id=100064... (if the path matches, a single numeric id is required)
    { path: '/profile\\.php', query: 'id', queryPattern: '[0-9]{1,20}', idTemplate: 'id:{query}' },
    // pages/<name>/<number>, people/<name>/<number>
    { path: `/pages/[^/]+/([0-9]{1,20})${REST}`, idTemplate: 'id:{1}' },
    { path: `/people/[^/]+/([0-9]{1,20})${REST}`, idTemplate: 'id:{1}' },
    // new-style profile URLs without username: /p/<Name>-<number>/
    { path: `/p/[^/]*?-?([0-9]{6,20})${REST}`, idTemplate: 'id:{1}' },
    // old-style page URLs without username: /<Name>-<number>/
    { path: `/[^/]*-([0-9]{6,20})${REST}`, idTemplate: 'id:{1}' },
    // numeric id in place of a username: /100064.../
    { path: `/([0-9]{1,20})${REST}`, idTemplate: 'id:{1}' },
    // legacy page URLs /pg/<username>/posts
    { path: `/pg/([a-z0-9][a-z0-9.]{2,49})${REST}`, idTemplate: '{1}' },
    // /<username> (letters, digits, dots; Facebook requires 5+, we accept 3+), any
    // further segments (/posts/123, /photos, /about) still identify the account.
    // Scripts such as /story.php are never usernames.
    { path: `/(?![^/]*\\.php(?:/|$))([a-z0-9][a-z0-9.]{2,49})${REST}`, idTemplate: '{1}' },
  ],
  reservedFirstSegments: [
    'about',
    'ads',
    'bookmarks',
    'business',
    'careers',
    'checkpoint',
    'dialog',
    'direct_messages',
    'events',
    'friends',
    'fundraisers',
    'gaming',
    'groups',
    'hashtag',
    'help',
    'home',
    'home.php',
    'l.php',
    'legal',
    'live',
    'login',
    'login.php',
    'logout.php',
    'marketplace',
    'media',
    'memories',
    'messages',
    'messenger',
    'notes',
    'notifications',
    'pages',
    'people',
    'permalink.php',
    'photo',
    'photo.php',
    'photos',
    'plugins',
    'policies',
    'policy.php',
    'privacy',
    'recover',
    'reel',
    'reels',
    'r.php',
    'saved',
    'search',
    'settings',
    'share',
    'share.php',
    'sharer',
    'sharer.php',
    'signup',
    'stories',
    'story.php',
    'terms',
    'video',
    'video.php',
    'videos',
    'watch',
  ],
  canonicalUrlTemplate: 'https://www.facebook.com/{id}',
  numericIdUrlTemplate: 'https://www.facebook.com/profile.php?id={num}',
};

/**
 * Instagram, with its mobile host and its short host instagr.am (both Instagram's own, both
 * lead to the same paths). Posts, reels, stories and share links name no account.
 */
const instagramRules: PlatformRules = {
  hosts: ['instagram.com', 'www.instagram.com', 'm.instagram.com', 'instagr.am', 'www.instagr.am'],
  patterns: [{ path: `/([a-z0-9._]{1,30})${REST}`, idTemplate: '{1}' }],
  unresolvable: [{ path: '/(?:p|reel|reels|tv|stories|share|s)/.+' }],
  reservedFirstSegments: [
    'p',
    'reel',
    'reels',
    'explore',
    'stories',
    'accounts',
    'direct',
    'tv',
    'about',
    'legal',
    'developer',
    'web',
    'challenge',
    'privacy',
    'terms',
    'emails',
    'session',
    'login',
    'ar',
  ],
  canonicalUrlTemplate: 'https://www.instagram.com/{id}/',
};

/**
 * YouTube. Channel ids ("UC" + 22 characters) are case-sensitive at YouTube, but the
 * register compares ids case-insensitively, so the id is lower-cased like every other
 * id. A collision of two random channel ids that differ only in case is practically
 * impossible; the canonical URL keeps the original case (urlTemplate with {1}) so it
 * still works. Handles are restricted to ASCII here (non-Latin handles → not_an_account).
 * The short host youtu.be only links videos: like /watch, /shorts and /live links, they name
 * no channel.
 */
const youtubeRules: PlatformRules = {
  hosts: ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtu.be'],
  unresolvable: [
    { path: '/.+', hosts: ['youtu.be'] },
    { path: `/(?:watch|shorts/[^/]+|live/[^/]+|embed/[^/]+)${REST}` },
  ],
  patterns: [
    { path: `/@([a-z0-9._-]{3,30})${REST}`, idTemplate: '@{1}' },
    {
      path: `/channel/(uc[a-z0-9_-]{22})${REST}`,
      idTemplate: 'channel:{1}',
      urlTemplate: 'https://www.youtube.com/channel/{1}',
    },
    { path: `/c/([a-z0-9._-]{1,100})${REST}`, idTemplate: 'c:{1}', urlTemplate: 'https://www.youtube.com/c/{1}' },
    {
      path: `/user/([a-z0-9._-]{1,100})${REST}`,
      idTemplate: 'user:{1}',
      urlTemplate: 'https://www.youtube.com/user/{1}',
    },
  ],
  reservedFirstSegments: [
    'watch',
    'shorts',
    'playlist',
    'results',
    'feed',
    'embed',
    'live',
    'redirect',
    'hashtag',
    'premium',
    'account',
    'signin',
    'logout',
    'about',
    't',
    'howyoutubeworks',
    'kids',
    'gaming',
  ],
  canonicalUrlTemplate: 'https://www.youtube.com/{id}',
};

/**
 * Mastodon. A user name is only unique per instance (@stadt on norden.social and
 * @stadt on mastodon.social are different people), so the id includes the instance:
 * '@user@instance'. Remote-account views (/@user@other.instance) map to the same id as
 * the account at its home instance.
 */
const mastodonRules: PlatformRules = {
  hosts: ['mastodon.social', 'mastodon.online', 'social.bund.de', 'norden.social', 'chaos.social'],
  patterns: [
    {
      path: `/@([a-z0-9_]{1,30})@([a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,63})${REST}`,
      idTemplate: '@{1}@{2}',
      urlTemplate: 'https://{2}/@{1}',
    },
    { path: `/@([a-z0-9_]{1,30})${REST}`, idTemplate: '@{1}@{host}', urlTemplate: 'https://{host}/@{1}' },
    { path: `/users/([a-z0-9_]{1,30})${REST}`, idTemplate: '@{1}@{host}', urlTemplate: 'https://{host}/@{1}' },
  ],
  reservedFirstSegments: [],
  canonicalUrlTemplate: 'https://{host}/{id}',
};

/**
 * X (formerly Twitter), with the mobile hosts and the short host t.co (X's link shortener:
 * where a t.co link leads, only X knows).
 */
const xRules: PlatformRules = {
  hosts: ['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com', 't.co'],
  unresolvable: [{ path: '/.+', hosts: ['t.co'] }],
  patterns: [{ path: `/([a-z0-9_]{1,15})${REST}`, idTemplate: '{1}' }],
  reservedFirstSegments: [
    'home',
    'explore',
    'search',
    'i',
    'intent',
    'share',
    'hashtag',
    'settings',
    'messages',
    'notifications',
    'login',
    'logout',
    'signup',
    'tos',
    'privacy',
    'compose',
    'account',
    'about',
    'download',
    'jobs',
    'lists',
    'bookmarks',
    'communities',
    'premium',
    'following',
    'followers',
  ],
  canonicalUrlTemplate: 'https://x.com/{id}',
};

export const DEFAULT_PLATFORMS: readonly PlatformDefinition[] = [
  { key: 'facebook', name: 'Facebook', enabled: true, sortOrder: 10, rules: facebookRules },
  { key: 'instagram', name: 'Instagram', enabled: false, sortOrder: 20, rules: instagramRules },
  { key: 'youtube', name: 'YouTube', enabled: false, sortOrder: 30, rules: youtubeRules },
  { key: 'mastodon', name: 'Mastodon', enabled: false, sortOrder: 40, rules: mastodonRules },
  { key: 'x', name: 'X (Twitter)', enabled: false, sortOrder: 50, rules: xRules },
];
