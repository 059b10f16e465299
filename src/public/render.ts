import type { Response } from 'express';

/**
 * Renders a public view to a string (with or without the page layout), so the result can
 * be cached and answered with ETag/304. Same two steps as web/render.ts' renderPage.
 */
export function renderHtml(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  layout = true,
): Promise<string> {
  return new Promise((resolve, reject) => {
    // dates through res.locals' dayText/timeTag (src/web/dates.ts), like every other page
    const data = { ...res.locals, ...locals };
    res.app.render(view, data, (err, body) => {
      if (err) return reject(err);
      if (!layout) return resolve(body);
      res.app.render('layouts/main', { ...data, body }, (layoutErr, html) =>
        layoutErr ? reject(layoutErr) : resolve(html),
      );
    });
  });
}
