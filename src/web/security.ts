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
  // The policy depends on nothing in the request (no nonces), so helmet's headers are the
  // same for every response: let helmet write them once, then replay them. This runs on
  // every request, and helmet's own chain of small middlewares cost more than the headers.
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  let synchronous = false;
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name, String(value)]),
    removeHeader: (name: string) => removed.push(name),
  };
  middleware({} as Request, recorder as unknown as Response, () => {
    synchronous = true;
  });
  if (!synchronous || set.length === 0) throw new Error('helmet did not set its headers synchronously');
  set.push(['Permissions-Policy', PERMISSIONS_POLICY]);
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
