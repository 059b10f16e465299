import type { Response } from 'express';

interface ErrorLike {
  field: string;
}

/**
 * The error summary lists errors in the order their fields stand on the page, whatever order
 * the checks ran in (form rules first, then the database's). The page itself knows that order:
 * each field's input carries `id="feld-<field>"`. Errors without such a field keep their place
 * before the others (they concern the whole form). Returns the same array when nothing moves.
 */
export function inPageOrder<E extends ErrorLike>(errors: readonly E[], html: string): readonly E[] {
  const position = (e: E) => {
    const at = html.indexOf(`id="feld-${e.field}"`);
    return at < 0 ? -1 : at;
  };
  const sorted = errors
    .map((e, i) => ({ e, i, at: position(e) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.e);
  return sorted.every((e, i) => e === errors[i]) ? errors : sorted;
}

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
    const data: Record<string, unknown> = { ...res.locals, ...locals };
    const render = (body: string) =>
      res.app.render('layouts/main', { ...data, body }, (layoutErr, html) => {
        if (layoutErr) return reject(layoutErr);
        res.status(status).type('html');
        if (status >= 400) {
          // error pages are never cached or validated: no ETag (res.send would add one)
          res.setHeader('Content-Length', Buffer.byteLength(html));
          res.end(html);
        } else {
          res.send(html);
        }
        resolve();
      });
    res.app.render(view, data, (err, body) => {
      if (err) return reject(err);
      const errors = data.errors;
      if (!Array.isArray(errors) || errors.length < 2) return render(body);
      const ordered = inPageOrder(errors as ErrorLike[], body);
      if (ordered === errors) return render(body);
      // the summary stands above the fields: render once more with the errors in page order
      data.errors = ordered;
      res.app.render(view, data, (again, orderedBody) => (again ? reject(again) : render(orderedBody)));
    });
  });
}
