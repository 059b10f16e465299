import type { Response } from 'express';

/**
 * Renders a view into the page layout. Views hold only their content; the layout adds
 * head, header, navigation and footer. `title` is the page's h1 and <title>.
 */
export function renderPage(
  res: Response,
  view: string,
  locals: Record<string, unknown> = {},
  status = 200,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = { ...res.locals, ...locals };
    res.app.render(view, data, (err, body) => {
      if (err) return reject(err);
      res.app.render('layouts/main', { ...data, body }, (layoutErr, html) => {
        if (layoutErr) return reject(layoutErr);
        res.status(status).type('html');
        if (status >= 400) {
          // error pages are never cached or validated: no ETag (res.send would add one)
          res.setHeader('Content-Length', Buffer.byteLength(html as string));
          res.end(html);
        } else {
          res.send(html);
        }
        resolve();
      });
    });
  });
}
