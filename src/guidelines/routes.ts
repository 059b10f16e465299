import { Router, type Request } from 'express';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { GUIDELINE_KEYS, type GuidelineKey } from './store';
import type { GuidelineService } from './service';

/** The texts editors confirm, as the portal serves them: current version, its date, whether this person confirmed it. */
export function guidelineRoutes(deps: { guidelines: GuidelineService }) {
  const { guidelines } = deps;
  const router = Router();
  for (const key of GUIDELINE_KEYS) {
    router.get(`/${key}`, async (req: Request, res) => {
      const me = req.user as SessionUser;
      const texts = await guidelines.current();
      const text = texts[key];
      const confirmedAt = await guidelines.confirmedAt(me.uid, key, text.version);
      const other: GuidelineKey = key === 'leitlinien' ? 'dienstvereinbarung' : 'leitlinien';
      const locale = res.locals.locale === 'en' ? 'en' : 'de';
      await renderPage(res, 'guidelines/show', {
        title: locale === 'en' ? text.title_en : text.title_de,
        text,
        paragraphs: (locale === 'en' ? text.body_en : text.body_de).split(/\n\s*\n/),
        confirmedAt,
        other: { key: other, title: locale === 'en' ? texts[other].title_en : texts[other].title_de },
      });
    });
  }
  return router;
}
