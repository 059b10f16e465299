import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';

/** Powerful browser features the portal never uses: denied for it and anything it might embed. */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * Security headers. The portal has no inline script or style at all, so the policy can
 * be strict without nonces: everything comes from this host, images may also be data:
 * URIs (KERN's icons are SVG data URIs inside its CSS).
 */
export function setUpSecurityHeaders(config: Config) {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
        ...(config.csp.upgradeInsecureRequests ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    // the same as frame-ancestors 'none', for browsers that only know the older header; the
    // fragment /einbetten is included by the CMS on its server, never framed (docs/open-data.md)
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: config.env === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  // helmet runs on every request as documented. Until 1 December 2026 its headers were
  // recorded once with a fake response and replayed, which leans on how helmet works inside;
  // measured then on this machine (200,000 real ServerResponse objects, five alternating runs),
  // helmet took 4.5–12.8 µs a request and the replay 9.4–12.8 µs: no gain, so no trick.
  // The overview benchmark (`npm run bench:overview -- --rounds 4 --seconds 3`, PGlite, load
  // average 8–16) gave server CPU per request bare/app 0.88 and 0.87 with plain helmet, 0.90 with
  // the replay (shared middleware +64/+65 against +54 µs): at most a few µs, within the scatter,
  // and the target (≥ 0.8, bench/RESULTS.md) is met either way.
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    middleware(req, res, next);
  };
}
