import { describe, expect, it } from 'vitest';
import { canonicalise, matchPlatform, type CanonicalFailureReason } from '../../src/registry/canonical';
import {
  DEFAULT_PLATFORMS,
  parsePlatformRules,
  platformDefinitionSchema,
  platformRulesSchema,
  type PlatformRules,
} from '../../src/registry/platforms';

function rulesOf(key: string): PlatformRules {
  const platform = DEFAULT_PLATFORMS.find((p) => p.key === key);
  if (!platform) throw new Error(`no platform ${key}`);
  return platform.rules;
}

const facebook = rulesOf('facebook');
const instagram = rulesOf('instagram');
const youtube = rulesOf('youtube');
const mastodon = rulesOf('mastodon');
const x = rulesOf('x');

describe('canonicalise – Facebook accepted', () => {
  it.each<[string, string]>([
    ['https://www.facebook.com/hannover.de', 'hannover.de'],
    ['http://www.facebook.com/hannover.de', 'hannover.de'],
    ['https://facebook.com/hannover.de', 'hannover.de'],
    ['https://m.facebook.com/hannover.de', 'hannover.de'],
    ['https://de-de.facebook.com/hannover.de', 'hannover.de'],
    ['https://mbasic.facebook.com/hannover.de', 'hannover.de'],
    ['https://web.facebook.com/hannover.de', 'hannover.de'],
    ['https://fb.com/hannover.de', 'hannover.de'],
    ['https://www.fb.com/hannover.de', 'hannover.de'],
    ['https://m.fb.com/hannover.de', 'hannover.de'],
    ['https://www.facebook.com/hannover.de/', 'hannover.de'],
    ['https://www.facebook.com/hannover.de///', 'hannover.de'],
    ['https://www.facebook.com/hannover.de?ref=bookmarks', 'hannover.de'],
    ['https://www.facebook.com/hannover.de/?locale=de_DE', 'hannover.de'],
    ['https://www.facebook.com/hannover.de#about', 'hannover.de'],
    ['https://www.facebook.com/hannover.de/?ref=bookmarks#top', 'hannover.de'],
    ['Facebook.com/Hannover.De', 'hannover.de'],
    ['HTTPS://WWW.FACEBOOK.COM/HANNOVER.DE', 'hannover.de'],
    ['facebook.com/hannover.de', 'hannover.de'],
    ['www.facebook.com/hannover.de', 'hannover.de'],
    ['m.facebook.com/hannover.de/', 'hannover.de'],
    ['  https://www.facebook.com/hannover.de  ', 'hannover.de'],
    ['\thttps://www.facebook.com/hannover.de\n', 'hannover.de'],
    ['https://www.facebook.com/hannover.de/posts/123', 'hannover.de'],
    ['https://www.facebook.com/hannover.de/photos', 'hannover.de'],
    ['https://www.facebook.com/hannover.de/about/?ref=page_internal', 'hannover.de'],
    ['https://www.facebook.com/pg/hannover.de/posts/', 'hannover.de'],
    ['https://www.facebook.com/%68annover.de', 'hannover.de'],
    ['https://www.facebook.com./hannover.de', 'hannover.de'],
    ['https://www.facebook.com:443/hannover.de', 'hannover.de'],
    ['https://www.facebook.com/StadtHannover', 'stadthannover'],
    ['https://www.facebook.com/abc', 'abc'],
    ['https://www.facebook.com/profile.php?id=100064', 'id:100064'],
    ['https://m.facebook.com/profile.php?id=100064&ref=content_filter', 'id:100064'],
    ['facebook.com/profile.php?id=100064#', 'id:100064'],
    ['https://www.facebook.com/pages/Museum-August-Kestner/123456789', 'id:123456789'],
    ['https://www.facebook.com/pages/Museum-August-Kestner/123456789/', 'id:123456789'],
    ['https://www.facebook.com/people/Max-Mustermann/100001234567', 'id:100001234567'],
    ['https://www.facebook.com/people/Max-Mustermann/100001234567/?sk=about', 'id:100001234567'],
    ['https://www.facebook.com/p/Max-Mustermann-100083123456789/', 'id:100083123456789'],
    ['https://www.facebook.com/Museum-August-Kestner-123456789/', 'id:123456789'],
    ['https://www.facebook.com/100064123456789', 'id:100064123456789'],
  ])('%s → %s', (input, id) => {
    const result = canonicalise(input, facebook);
    expect(result).toMatchObject({ ok: true, id });
  });

  it('builds canonical URLs', () => {
    expect(canonicalise('Facebook.com/Hannover.De/posts/1', facebook)).toEqual({
      ok: true,
      id: 'hannover.de',
      url: 'https://www.facebook.com/hannover.de',
    });
    expect(canonicalise('m.facebook.com/profile.php?id=100064', facebook)).toEqual({
      ok: true,
      id: 'id:100064',
      url: 'https://www.facebook.com/profile.php?id=100064',
    });
    expect(canonicalise('facebook.com/people/Max-Mustermann/100001234567', facebook)).toEqual({
      ok: true,
      id: 'id:100001234567',
      url: 'https://www.facebook.com/profile.php?id=100001234567',
    });
  });
});

describe('canonicalise – Facebook rejected', () => {
  it.each<[string, string, CanonicalFailureReason]>([
    ['empty string', '', 'empty'],
    ['only whitespace', '   \n\t ', 'empty'],
    ['5,000 characters', `https://www.facebook.com/${'a'.repeat(5000)}`, 'too_long'],
    ['2,001 characters', `https://www.facebook.com/${'a'.repeat(2001 - 25)}`, 'too_long'],
    ['plain text', 'not a url', 'not_a_url'],
    ['single word', 'hannover', 'not_a_url'],
    ['scheme without host', 'https://', 'not_a_url'],
    ['space in host', 'https://face book.com/hannover.de', 'not_a_url'],
    ['javascript:', 'javascript:alert(1)', 'unsupported_scheme'],
    ['ftp:', 'ftp://facebook.com/x', 'unsupported_scheme'],
    ['data:', 'data:text/html,<a href="https://facebook.com/x">', 'unsupported_scheme'],
    ['mailto:', 'mailto:info@facebook.com', 'unsupported_scheme'],
    ['file:', 'file:///etc/passwd', 'unsupported_scheme'],
    ['suffix look-alike', 'https://facebook.com.example.org/hannover.de', 'host_not_allowed'],
    ['prefix look-alike', 'https://evilfacebook.com/hannover.de', 'host_not_allowed'],
    ['other TLD', 'https://facebook.co/hannover.de', 'host_not_allowed'],
    ['zeros for o', 'https://faceb00k.com/hannover.de', 'host_not_allowed'],
    ['userinfo trick without scheme', 'facebook.com@evil.org', 'host_not_allowed'],
    ['userinfo trick with path', 'https://facebook.com@evil.org/hannover.de', 'host_not_allowed'],
    ['user:pass on the real host', 'https://user:pass@www.facebook.com/hannover.de', 'host_not_allowed'],
    ['user on the real host', 'https://admin@facebook.com/hannover.de', 'host_not_allowed'],
    ['host in path', 'evil.org/facebook.com/x', 'host_not_allowed'],
    ['host in path with scheme', 'https://evil.org/www.facebook.com/hannover.de', 'host_not_allowed'],
    ['Cyrillic а (IDN look-alike)', 'https://www.fаcebook.com/hannover.de', 'host_not_allowed'],
    ['Cyrillic о (IDN look-alike)', 'https://facebоok.com/hannover.de', 'host_not_allowed'],
    ['non-default port', 'https://www.facebook.com:8443/hannover.de', 'host_not_allowed'],
    ['port 80 on https', 'https://facebook.com:80/hannover.de', 'host_not_allowed'],
    ['port without scheme', 'facebook.com:8080/hannover.de', 'host_not_allowed'],
    ['look-alike of the short host', 'https://fb.me.example.org/hannover.de', 'host_not_allowed'],
    ['link redirector', 'https://l.facebook.com/l.php?u=https://evil.org', 'host_not_allowed'],
    ['two trailing dots', 'https://www.facebook.com../hannover.de', 'host_not_allowed'],
    ['IP address', 'https://157.240.0.35/hannover.de', 'host_not_allowed'],
    ['bare host', 'https://www.facebook.com/', 'not_an_account'],
    ['bare host without slash', 'facebook.com', 'not_an_account'],
    ['bare host with query', 'https://www.facebook.com/?id=100064', 'not_an_account'],
    ['groups', 'https://www.facebook.com/groups/123', 'not_an_account'],
    ['events', 'https://www.facebook.com/events/1', 'not_an_account'],
    ['sharer.php', 'https://www.facebook.com/sharer.php?u=https%3A%2F%2Fwww.hannover.de', 'not_an_account'],
    ['sharer/sharer.php', 'https://www.facebook.com/sharer/sharer.php?u=x', 'not_an_account'],
    ['unlisted script', 'https://www.facebook.com/something.php?id=100064', 'not_an_account'],
    ['hashtag', 'https://www.facebook.com/hashtag/hannover', 'not_an_account'],
    ['reserved upper case', 'https://www.facebook.com/Groups/123', 'not_an_account'],
    ['pages without id', 'https://www.facebook.com/pages/create', 'not_an_account'],
    ['profile.php without id', 'https://www.facebook.com/profile.php', 'not_an_account'],
    ['profile.php with empty id', 'https://www.facebook.com/profile.php?id=', 'not_an_account'],
    ['profile.php?id=abc', 'https://www.facebook.com/profile.php?id=abc', 'not_an_account'],
    ['profile.php with two ids', 'https://www.facebook.com/profile.php?id=100064&id=666', 'not_an_account'],
    ['username too short', 'https://www.facebook.com/ab', 'not_an_account'],
    ['username with invalid characters', 'https://www.facebook.com/hannover_de', 'not_an_account'],
    ['encoded slash', 'https://www.facebook.com/hannover.de%2Fposts', 'not_an_account'],
    ['broken percent-encoding', 'https://www.facebook.com/hannover%E0.de', 'not_an_account'],
  ])('%s', (_label, input, reason) => {
    expect(canonicalise(input, facebook)).toEqual({ ok: false, reason });
  });
});

/**
 * What the apps' "Link kopieren" / "Teilen" and Facebook's short hosts produce. A share link
 * names no account: it is "unresolvable" (the check answers "cannot be checked"), never "not
 * an account" (which the public check showed as a red "not official" for the city's own page).
 */
describe('canonicalise – Facebook share links and short hosts', () => {
  // the last column: the account id, or the CanonicalFailureReason
  it.each<[string, string, string]>([
    // fb.me is Facebook's own short domain: fb.me/<name> is facebook.com/<name>
    ['fb.me with a page name', 'https://fb.me/hannover.de', 'hannover.de'],
    ['fb.me without scheme, upper case', 'fb.me/Hannover.de', 'hannover.de'],
    ['fb.me with a trailing slash and query', 'http://fb.me/hannover.de/?ref=share', 'hannover.de'],
    ['fb.me with a numeric id', 'https://fb.me/100064123456789', 'id:100064123456789'],
    ['fb.me event short link', 'https://fb.me/e/3abcDEF12', 'unresolvable'],
    ['fb.me bare', 'https://fb.me/', 'not_an_account'],
    ['touch.facebook.com', 'https://touch.facebook.com/hannover.de', 'hannover.de'],
    // "Link kopieren" in the app
    ['share link of a page', 'https://www.facebook.com/share/1AbCdEfGhI/', 'unresolvable'],
    ['share link with mibextid', 'https://www.facebook.com/share/1AbCdEfGhI/?mibextid=wwXIfr', 'unresolvable'],
    ['share link of a post', 'https://www.facebook.com/share/p/15XyZabc12/', 'unresolvable'],
    ['share link of a video', 'https://www.facebook.com/share/v/1Qwerty123/', 'unresolvable'],
    ['share link of a reel', 'https://www.facebook.com/share/r/1Reel12345/', 'unresolvable'],
    ['share link without scheme, mobile host', 'm.facebook.com/share/1AbCdEfGhI', 'unresolvable'],
    ['share link, upper case', 'HTTPS://WWW.FACEBOOK.COM/SHARE/P/15XYZ/', 'unresolvable'],
    ['bare /share', 'https://www.facebook.com/share', 'unresolvable'],
    ['video', 'https://www.facebook.com/watch/?v=123', 'unresolvable'],
    ['reel', 'https://www.facebook.com/reel/123456789', 'unresolvable'],
    ['story.php', 'https://m.facebook.com/story.php?story_fbid=1&id=100064', 'unresolvable'],
    ['permalink.php', 'https://www.facebook.com/permalink.php?story_fbid=1&id=100064', 'unresolvable'],
    ['fb.watch short video link', 'https://fb.watch/abC1dEf2/', 'unresolvable'],
    // still accounts, still no accounts
    ['a page called "shareholders" is an account', 'https://www.facebook.com/shareholders', 'shareholders'],
    ["a page's own post link names the page", 'https://www.facebook.com/hannover.de/posts/pfbid0abc', 'hannover.de'],
    [
      'share dialog (sharer.php) stays no account',
      'https://www.facebook.com/sharer.php?u=https%3A%2F%2Fwww.hannover.de',
      'not_an_account',
    ],
    ['look-alike of a share link', 'https://www.faceb00k.com/share/1AbCdEfGhI/', 'host_not_allowed'],
    ['share link with user info', 'https://user@www.facebook.com/share/1AbCdEfGhI/', 'host_not_allowed'],
  ])('%s', (_label, input, expected) => {
    const result = canonicalise(input, facebook);
    if (['unresolvable', 'not_an_account', 'host_not_allowed'].includes(expected))
      expect(result).toEqual({ ok: false, reason: expected });
    else
      expect(result).toMatchObject({
        ok: true,
        id: expected,
        url: expected.startsWith('id:') ? expect.any(String) : `https://www.facebook.com/${expected}`,
      });
  });

  it('every platform of the catalogue lists its short and mobile hosts', () => {
    const hosts = (key: string) => rulesOf(key).hosts;
    expect(hosts('facebook')).toEqual(
      expect.arrayContaining([
        'fb.me',
        'fb.com',
        'fb.watch',
        'm.facebook.com',
        'mbasic.facebook.com',
        'touch.facebook.com',
      ]),
    );
    expect(hosts('instagram')).toEqual(expect.arrayContaining(['instagr.am', 'm.instagram.com']));
    expect(hosts('youtube')).toEqual(expect.arrayContaining(['youtu.be', 'm.youtube.com']));
    expect(hosts('x')).toEqual(expect.arrayContaining(['t.co', 'mobile.twitter.com', 'mobile.x.com']));
    for (const p of DEFAULT_PLATFORMS) expect(platformDefinitionSchema.safeParse(p).success, p.key).toBe(true);
  });

  it('matchPlatform names the platform of an unresolvable link', () => {
    expect(matchPlatform('https://www.facebook.com/share/1AbCdEfGhI/', DEFAULT_PLATFORMS)).toEqual({
      ok: false,
      reason: 'unresolvable',
      platform: 'facebook',
    });
    expect(matchPlatform('https://youtu.be/dQw4w9WgXcQ', DEFAULT_PLATFORMS)).toEqual({
      ok: false,
      reason: 'unresolvable',
      platform: 'youtube',
    });
    expect(matchPlatform('fb.me/hannover.de', DEFAULT_PLATFORMS)).toMatchObject({
      ok: true,
      platform: 'facebook',
      id: 'hannover.de',
    });
  });

  it('validates unresolvable rules like patterns: regex, leading slash, plain host names', () => {
    const base = { ...facebook };
    expect(parsePlatformRules({ ...base, unresolvable: [{ path: '/share/(' }] })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^unresolvable\[0\]\.path: .*not a valid regular expression/)],
    });
    expect(parsePlatformRules({ ...base, unresolvable: [{ path: 'share/.+' }] })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/must start with "\/"/)],
    });
    expect(parsePlatformRules({ ...base, unresolvable: [{ path: '/.+', hosts: ['*.fb.me'] }] })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^unresolvable\[0\]\.hosts\[0\]: Host "\*\.fb\.me": wildcards/)],
    });
    // a rule for a host that is not in the host list never applies (the host is refused first)
    const narrowed = { ...facebook, hosts: ['www.facebook.com'] };
    expect(parsePlatformRules(narrowed).ok).toBe(true);
    expect(canonicalise('https://fb.watch/abc', narrowed)).toEqual({ ok: false, reason: 'host_not_allowed' });
    expect(parsePlatformRules({ ...base, unresolvable: [{ path: '/.+', extra: 1 }] }).ok).toBe(false);
    // rules without the field (databases before migration 0010) stay valid
    const { unresolvable: _u, ...old } = facebook;
    expect(parsePlatformRules(old).ok).toBe(true);
    expect(canonicalise('https://www.facebook.com/share/1AbC/', old as PlatformRules)).toEqual({
      ok: false,
      reason: 'not_an_account',
    });
  });
});

describe('canonicalise – same account, one id', () => {
  it('10 spellings of facebook.com/hannover.de yield one id and one URL', () => {
    const spellings = [
      'https://www.facebook.com/hannover.de',
      'http://facebook.com/Hannover.de/',
      'facebook.com/HANNOVER.DE',
      '  www.facebook.com/hannover.de?ref=bookmarks  ',
      'https://m.facebook.com/hannover.de/posts/123456#comments',
      'https://de-de.facebook.com/hannover.de/?locale=de_DE',
      'https://mbasic.facebook.com/hannover.de/photos',
      'https://web.facebook.com/pg/hannover.de/about/',
      'https://fb.com/hannover.de//',
      'https://www.facebook.com./%68annover.de',
    ];
    const results = spellings.map((s) => canonicalise(s, facebook));
    for (const r of results) expect(r.ok).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.id : r.reason)));
    const urls = new Set(results.map((r) => (r.ok ? r.url : r.reason)));
    expect([...ids]).toEqual(['hannover.de']);
    expect([...urls]).toEqual(['https://www.facebook.com/hannover.de']);
  });
});

describe('canonicalise – other platforms', () => {
  // the fourth column: the account id, or the CanonicalFailureReason
  it.each<[string, PlatformRules, string, string, string?]>([
    // Instagram
    [
      'instagram',
      instagram,
      'https://www.instagram.com/stadt_hannover/',
      'stadt_hannover',
      'https://www.instagram.com/stadt_hannover/',
    ],
    ['instagram', instagram, 'instagram.com/Stadt.Hannover?igsh=abc', 'stadt.hannover'],
    ['instagram', instagram, 'https://www.instagram.com/stadt_hannover/reels/', 'stadt_hannover'],
    ['instagram', instagram, 'https://www.instagram.com/p/CxYz123/', 'unresolvable'],
    [
      'instagram',
      instagram,
      'https://m.instagram.com/stadt_hannover/',
      'stadt_hannover',
      'https://www.instagram.com/stadt_hannover/',
    ],
    ['instagram', instagram, 'instagr.am/Stadt_Hannover', 'stadt_hannover'],
    ['instagram', instagram, 'https://www.instagram.com/reel/Cabc123/?igsh=xyz', 'unresolvable'],
    ['instagram', instagram, 'https://www.instagram.com/share/BAabc123', 'unresolvable'],
    ['instagram', instagram, 'https://www.instagram.com/explore/tags/hannover/', 'not_an_account'],
    ['instagram', instagram, 'https://instagram.com.evil.org/stadt_hannover', 'host_not_allowed'],
    // YouTube
    [
      'youtube',
      youtube,
      'https://www.youtube.com/@StadtHannover',
      '@stadthannover',
      'https://www.youtube.com/@stadthannover',
    ],
    ['youtube', youtube, 'youtube.com/@stadthannover/videos', '@stadthannover'],
    [
      'youtube',
      youtube,
      'https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL',
      'channel:uca1b2c3d4e5f6g7h8i9j0kl',
      'https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL',
    ],
    ['youtube', youtube, 'https://m.youtube.com/c/HannoverDe', 'c:hannoverde', 'https://www.youtube.com/c/HannoverDe'],
    ['youtube', youtube, 'https://www.youtube.com/user/StadtHannover/featured', 'user:stadthannover'],
    ['youtube', youtube, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'unresolvable'],
    ['youtube', youtube, 'https://www.youtube.com/shorts/abc123', 'unresolvable'],
    ['youtube', youtube, 'https://m.youtube.com/@StadtHannover', '@stadthannover'],
    ['youtube', youtube, 'https://www.youtube.com/channel/short', 'not_an_account'],
    ['youtube', youtube, 'https://youtu.be/dQw4w9WgXcQ', 'unresolvable'],
    ['youtube', youtube, 'https://youtu.be/@StadtHannover', 'unresolvable'],
    ['youtube', youtube, 'https://youtu.be/', 'not_an_account'],
    // Mastodon
    ['mastodon', mastodon, 'https://mastodon.social/@Hannover', '@hannover@mastodon.social'],
    [
      'mastodon',
      mastodon,
      'https://norden.social/@hannover/111222333',
      '@hannover@norden.social',
      'https://norden.social/@hannover',
    ],
    ['mastodon', mastodon, 'https://social.bund.de/users/bmi', '@bmi@social.bund.de', 'https://social.bund.de/@bmi'],
    ['mastodon', mastodon, 'https://mastodon.social/@hannover@social.hannover.de', '@hannover@social.hannover.de'],
    ['mastodon', mastodon, 'https://mastodon.social/explore', 'not_an_account'],
    ['mastodon', mastodon, 'https://evil.social/@hannover', 'host_not_allowed'],
    // X / Twitter
    ['x', x, 'https://x.com/Hannover', 'hannover', 'https://x.com/hannover'],
    ['x', x, 'https://twitter.com/hannover/status/1234567890', 'hannover'],
    ['x', x, 'mobile.twitter.com/Stadt_Hannover', 'stadt_hannover'],
    ['x', x, 'https://x.com/i/lists/123', 'not_an_account'],
    ['x', x, 'https://twitter.com/intent/tweet?text=hi', 'not_an_account'],
    ['x', x, 'https://x.com/a_handle_that_is_too_long', 'not_an_account'],
    ['x', x, 'https://x.co/hannover', 'host_not_allowed'],
    ['x', x, 'https://mobile.x.com/Hannover', 'hannover'],
    ['x', x, 'https://t.co/AbC123xyz', 'unresolvable'],
  ])('%s: %s → %s', (_key, rules, input, expected, url) => {
    const result = canonicalise(input, rules);
    if (['not_an_account', 'host_not_allowed', 'unresolvable'].includes(expected)) {
      expect(result).toEqual({ ok: false, reason: expected });
    } else {
      expect(result).toMatchObject({ ok: true, id: expected });
      if (url !== undefined) expect(result).toMatchObject({ url });
    }
  });
});

describe('matchPlatform', () => {
  it.each<[string, Record<string, unknown>]>([
    ['https://www.facebook.com/hannover.de', { ok: true, platform: 'facebook', id: 'hannover.de' }],
    ['instagram.com/stadt_hannover', { ok: true, platform: 'instagram', id: 'stadt_hannover' }],
    ['https://www.youtube.com/@stadthannover', { ok: true, platform: 'youtube', id: '@stadthannover' }],
    ['https://norden.social/@hannover', { ok: true, platform: 'mastodon', id: '@hannover@norden.social' }],
    ['https://twitter.com/hannover', { ok: true, platform: 'x', id: 'hannover' }],
    ['https://www.facebook.com/groups/1', { ok: false, reason: 'not_an_account', platform: 'facebook' }],
    ['https://www.hannover.de/', { ok: false, reason: 'host_not_allowed' }],
    ['https://facebook.com.evil.org/hannover.de', { ok: false, reason: 'host_not_allowed' }],
    ['javascript:alert(1)', { ok: false, reason: 'unsupported_scheme' }],
    ['', { ok: false, reason: 'empty' }],
    ['not a url', { ok: false, reason: 'not_a_url' }],
  ])('%s', (input, expected) => {
    expect(matchPlatform(input, DEFAULT_PLATFORMS)).toEqual(
      expected.ok ? { ...expected, url: expect.any(String) } : expected,
    );
  });

  it('only considers the platforms passed in (e.g. the enabled ones)', () => {
    const enabled = DEFAULT_PLATFORMS.filter((p) => p.enabled);
    expect(enabled.map((p) => p.key)).toEqual(['facebook']);
    expect(matchPlatform('https://x.com/hannover', enabled)).toEqual({ ok: false, reason: 'host_not_allowed' });
    expect(matchPlatform('https://facebook.com/hannover.de', enabled)).toMatchObject({
      ok: true,
      platform: 'facebook',
    });
  });
});

describe('platform rules schema', () => {
  it.each(DEFAULT_PLATFORMS.map((p) => [p.key, p] as const))('DEFAULT_PLATFORMS.%s validates', (_key, platform) => {
    const parsed = platformDefinitionSchema.safeParse(platform);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.message)).toEqual([]);
  });

  it('enables only Facebook out of the box and has unique keys', () => {
    expect(DEFAULT_PLATFORMS.map((p) => [p.key, p.enabled])).toEqual([
      ['facebook', true],
      ['instagram', false],
      ['youtube', false],
      ['mastodon', false],
      ['x', false],
    ]);
  });

  it("does not list Facebook's outbound link redirectors (their links lead to other sites)", () => {
    for (const host of ['l.facebook.com', 'lm.facebook.com']) {
      expect(facebook.hosts).not.toContain(host);
    }
  });

  const base: PlatformRules = {
    hosts: ['example.org'],
    patterns: [{ path: '/([a-z]+)', idTemplate: '{1}' }],
    reservedFirstSegments: [],
    canonicalUrlTemplate: 'https://example.org/{id}',
  };

  it('accepts a minimal valid rule set', () => {
    expect(parsePlatformRules(base)).toEqual({ ok: true, rules: base });
  });

  it.each<[string, unknown, RegExp]>([
    [
      'bad regex',
      { ...base, patterns: [{ path: '/([a-z]+', idTemplate: '{1}' }] },
      /patterns\[0\]\.path: Pattern path "\/\(\[a-z\]\+" is not a valid regular expression/,
    ],
    ['wildcard host', { ...base, hosts: ['*.facebook.com'] }, /hosts\[0\]: .*wildcards \("\*"\) are not allowed/],
    [
      'host with scheme',
      { ...base, hosts: ['https://facebook.com'] },
      /hosts\[0\]: .*must be a plain host name without scheme, path, port/,
    ],
    ['host with path', { ...base, hosts: ['facebook.com/x'] }, /plain host name/],
    ['host with port', { ...base, hosts: ['facebook.com:443'] }, /plain host name/],
    ['host with space', { ...base, hosts: ['facebook .com'] }, /plain host name/],
    ['upper-case host', { ...base, hosts: ['Facebook.com'] }, /lower case/],
    ['single-label host', { ...base, hosts: ['localhost'] }, /full domain name/],
    ['IP host', { ...base, hosts: ['127.0.0.1'] }, /not an IP address/],
    ['duplicate host', { ...base, hosts: ['example.org', 'example.org'] }, /listed twice/],
    ['no hosts', { ...base, hosts: [] }, /At least one host/],
    [
      'path not starting with /',
      { ...base, patterns: [{ path: '([a-z]+)', idTemplate: '{1}' }] },
      /must start with "\/"/,
    ],
    [
      'unknown group in idTemplate',
      { ...base, patterns: [{ path: '/([a-z]+)', idTemplate: '{2}' }] },
      /unknown placeholder "\{2\}"/,
    ],
    [
      '{query} without query',
      { ...base, patterns: [{ path: '/x', idTemplate: 'id:{query}' }] },
      /unknown placeholder "\{query\}"/,
    ],
    ['constant idTemplate', { ...base, patterns: [{ path: '/x', idTemplate: 'same' }] }, /contains no placeholder/],
    [
      'bad queryPattern',
      { ...base, patterns: [{ path: '/x', query: 'id', queryPattern: '[0-9', idTemplate: '{query}' }] },
      /queryPattern "\[0-9" is not a valid regular expression/,
    ],
    ['canonical URL not http(s)', { ...base, canonicalUrlTemplate: 'javascript:{id}' }, /must start with "https:\/\/"/],
    [
      'canonical URL with capture',
      { ...base, canonicalUrlTemplate: 'https://example.org/{1}' },
      /unknown placeholder "\{1\}"/,
    ],
    ['reserved segment with slash', { ...base, reservedFirstSegments: ['a/b'] }, /single path segment/],
  ])('refuses %s with a clear message', (_label, input, message) => {
    const result = parsePlatformRules(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(message);
    expect(platformRulesSchema.safeParse(input).success).toBe(false);
  });

  it('canonicalise keeps working with rules changed in a preview', () => {
    const preview: PlatformRules = { ...facebook, hosts: [...facebook.hosts, 'free.facebook.com'] };
    expect(canonicalise('https://free.facebook.com/hannover.de', preview)).toMatchObject({
      ok: true,
      id: 'hannover.de',
    });
    expect(canonicalise('https://free.facebook.com/hannover.de', facebook)).toEqual({
      ok: false,
      reason: 'host_not_allowed',
    });
  });

  it('a reserved word listed by an administrator stops matching as an account name only', () => {
    const preview: PlatformRules = {
      ...facebook,
      reservedFirstSegments: [...facebook.reservedFirstSegments, 'hannover.de'],
    };
    expect(canonicalise('https://www.facebook.com/hannover.de', preview)).toEqual({
      ok: false,
      reason: 'not_an_account',
    });
    expect(canonicalise('https://www.facebook.com/pages/x/123456789', preview)).toMatchObject({
      ok: true,
      id: 'id:123456789',
    });
  });
});
