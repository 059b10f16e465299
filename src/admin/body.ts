import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../web/errors';
import { textFromBytes, textFromForm, textFromPaste } from './csv';
import { z } from 'zod';
import { parseControls, rawText } from './input';
import { BASE } from './web';

/** The paste box of the CSV forms, kept exactly as pasted (readCsv owns the size and row limits). */
const pasteSchema = z.object({ csv: rawText });

/**
 * The two admin forms that carry a whole CSV file (bulk import of presences, import of the
 * unit tree). A CSV of 5,000 presences is a few MB, far above the app's 200 kB default.
 * These paths get a larger parser, and only for a signed-in administrator: nobody else can
 * make the server read a large body.
 */
export const LARGE_FORM_PATHS: readonly string[] = [`${BASE}/import/pruefen`, `${BASE}/organisationseinheiten/import`];
export const LARGE_FORM_LIMIT = '16mb';
const LARGE_FORM_BYTES = 16 * 1024 * 1024;
/** The form field of the file upload (the paste box `csv` stays as a fallback). */
export const CSV_FILE_FIELD = 'datei';

/** Is this request one of the large admin forms (path without the /en prefix)? */
export const isLargeAdminForm = (req: Request) => req.method === 'POST' && LARGE_FORM_PATHS.includes(req.path);

/**
 * Parses the large admin forms; goes in the staff router after the session (so req.user is
 * known) and before the CSRF check (which reads `_csrf` from the parsed body, multipart or not).
 * The forms are sent as multipart/form-data (a file upload through multer, kept in memory:
 * at most one file of 16 MB) or, from older pages and scripts, urlencoded (a pasted text).
 * Everything else passes untouched.
 */
export function largeAdminForms(smallLimit: string) {
  const large = express.urlencoded({ extended: false, limit: LARGE_FORM_LIMIT, parameterLimit: 20 });
  // anyone else gets the app's usual limit here too: the form is then refused as for any other route
  const small = express.urlencoded({ extended: false, limit: smallLimit, parameterLimit: 20 });
  // the pasted text may come in the same multipart body, so a field may be as large as the file;
  // multer is loaded with the first upload, not at every start
  let parser: Promise<(req: Request, res: Response, next: NextFunction) => void> | undefined;
  const multipartParser = () =>
    (parser ??= import('multer').then(({ default: multer }) => {
      const upload = multer({
        storage: multer.memoryStorage(),
        limits: { fileSize: LARGE_FORM_BYTES, fieldSize: LARGE_FORM_BYTES, files: 1, fields: 20, parts: 21 },
      }).single(CSV_FILE_FIELD);
      return (req: Request, res: Response, next: NextFunction) =>
        upload(req, res, (err: unknown) => {
          if (!err) return next();
          if (err instanceof multer.MulterError) {
            const tooLarge = err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE';
            return next(new HttpError(tooLarge ? 413 : 400, `upload refused: ${err.code}`));
          }
          // a malformed multipart body (busboy: "Unexpected end of form", "Malformed part header", …)
          next(new HttpError(400, 'malformed multipart body'));
        });
    }));
  const multipart = (req: Request, res: Response, next: NextFunction) => {
    void multipartParser().then((parse) => parse(req, res, next), next);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isLargeAdminForm(req)) return next();
    const admin = req.user?.roles.includes('admin') ?? false;
    if (req.is('multipart/form-data')) {
      // only an administrator's upload is read; anyone else is refused before a byte of the body
      return admin ? multipart(req, res, next) : next(new HttpError(403, 'upload by a non-administrator'));
    }
    (admin ? large : small)(req, res, next);
  };
}

/** The uploaded file of a large admin form, if one was chosen (a non-empty file). */
export function uploadedFile(req: Request): Buffer | undefined {
  const file = req.file;
  return file && file.size > 0 ? file.buffer : undefined;
}

/**
 * The CSV text of a large admin form: the uploaded file if one was chosen (UTF-8, with or
 * without BOM; anything else, e.g. Windows-1252, gets the encoding message), else the paste box.
 */
export function csvTextOf(req: Request) {
  const file = uploadedFile(req);
  if (file) return textFromBytes(file);
  const pasted = parseControls(pasteSchema, req.body).csv;
  return req.is('multipart/form-data') ? textFromPaste(pasted) : textFromForm(pasted);
}
