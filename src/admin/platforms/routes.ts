import type { Request, Response, Router } from 'express';
import { HttpError } from '../../web/errors';
import type { FieldError } from '../../web/forms';
import { renderPage } from '../../web/render';
import type { CanonicalResult } from '../../registry/canonical';
import type { AdminDeps } from '../deps';
import { parseControls, parseForm, readNotices } from '../input';
import { BASE, currentUser, error, localUrl } from '../web';
import { hostsText, preview, readRules, rulesWithoutHosts, type PlatformRow } from './service';
import { PLATFORM_KEY, enableSchema, platformNotice, rulesActionSchema, rulesFormSchema } from './schemas';

interface EditValues {
  hosts: string;
  regeln: string;
  beispiel: string;
  trotzdem: boolean;
}

/** Platforms: enable/disable, host list and canonicalisation rules with a preview. */
export function registerPlatformRoutes(router: Router, deps: AdminDeps) {
  const service = deps.platforms;

  async function load(req: Request): Promise<PlatformRow> {
    const key = String(req.params.key);
    if (!PLATFORM_KEY.test(key)) throw new HttpError(404);
    const platform = await service.get(key);
    if (!platform) throw new HttpError(404);
    return platform;
  }

  router.get('/plattformen', async (req, res) => {
    await renderPage(res, 'admin/platforms/list', {
      title: res.locals.t('admin.platforms.title'),
      platforms: await service.list(),
      notice: platformNotice(req.query),
    });
  });

  router.post('/plattformen/:key/freigabe', async (req, res) => {
    const platform = await load(req);
    const { freigegeben: value, bestaetigt } = parseControls(enableSchema, req.body);
    // blocking stops every new request for the platform: it happens only from its confirmation page
    if (value === 'nein' && platform.enabled && bestaetigt !== '1') return confirmDisable(res, platform);
    await service.setEnabled(currentUser(req), platform.key, value === 'ja');
    res.redirect(
      303,
      localUrl(res, `${BASE}/plattformen?${value === 'ja' ? 'freigegeben' : 'gesperrt'}=${platform.key}`),
    );
  });

  /** "Really disable?", with an explicit warning when no other platform would stay enabled. */
  async function confirmDisable(res: Response, platform: PlatformRow) {
    const t = res.locals.t;
    const all = await service.list();
    const others = all.filter((p) => p.enabled && p.key !== platform.key);
    const active = all.find((p) => p.key === platform.key)?.active ?? 0;
    await renderPage(res, 'partials/confirm', {
      title: t('admin.platforms.disableConfirm.title', { name: platform.name }),
      warning: others.length === 0 ? t('admin.platforms.disableConfirm.last') : undefined,
      lead: t('admin.platforms.disableConfirm.lead', { name: platform.name, active }),
      details: [
        { label: t('admin.platforms.disableConfirm.platform'), value: `${platform.name} (${platform.key})` },
        {
          label: t('admin.platforms.disableConfirm.stillEnabled'),
          value: others.map((p) => p.name).join(', ') || t('admin.platforms.disableConfirm.none'),
        },
      ],
      action: `${BASE}/plattformen/${platform.key}/freigabe`,
      hidden: { freigegeben: 'nein' },
      submitLabel: t('admin.platforms.disableConfirm.submit'),
      backUrl: localUrl(res, `${BASE}/plattformen`),
      backLabel: t('admin.platforms.disableConfirm.back'),
    });
  }

  async function showEdit(
    res: Response,
    platform: PlatformRow,
    opts: {
      values: EditValues;
      errors?: FieldError[];
      result?: CanonicalResult;
      affected?: Array<{ id: number; name: string; url: string }>;
      status?: number;
      notice?: string;
    },
  ) {
    await renderPage(
      res,
      'admin/platforms/edit',
      {
        title: res.locals.t('admin.platforms.editTitle', { name: platform.name }),
        platform,
        values: opts.values,
        errors: opts.errors ?? [],
        result: opts.result,
        affected: opts.affected ?? [],
        notice: opts.notice,
      },
      opts.status ?? (opts.errors?.length ? 400 : 200),
    );
  }

  router.get('/plattformen/:key', async (req, res) => {
    const platform = await load(req);
    await showEdit(res, platform, {
      values: {
        hosts: hostsText(platform.rules),
        regeln: rulesWithoutHosts(platform.rules),
        beispiel: '',
        trotzdem: false,
      },
      notice: readNotices(req.query, ['gespeichert']).has('gespeichert') ? 'admin.notice.saved' : undefined,
    });
  });

  /** One form, two buttons: "preview" canonicalises the sample with the rules as typed; "save" stores them. */
  router.post('/plattformen/:key', async (req, res) => {
    const platform = await load(req);
    const { aktion, trotzdem } = parseControls(rulesActionSchema, req.body);
    const form = parseForm(rulesFormSchema, req.body);
    const values: EditValues = {
      hosts: form.values.hosts ?? '',
      regeln: form.ok ? form.data.regeln : (form.values.regeln ?? ''),
      beispiel: form.values.beispiel ?? '',
      trotzdem: trotzdem === 'ja',
    };
    if (!form.ok) return showEdit(res, platform, { values, errors: form.errors });
    const read = readRules(values.hosts, values.regeln);
    if (!read.ok) return showEdit(res, platform, { values, errors: read.errors });

    if (aktion === 'vorschau') {
      if (!values.beispiel)
        return showEdit(res, platform, { values, errors: [error('beispiel', 'admin.platforms.error.sampleMissing')] });
      const affected = await service.affected(platform.key, read.rules);
      return showEdit(res, platform, { values, result: preview(read.rules, values.beispiel), affected });
    }
    const saved = await service.saveRules(currentUser(req), platform.key, read.rules, values.trotzdem);
    if (!saved) throw new HttpError(404);
    if (!saved.ok) {
      return showEdit(res, platform, {
        values,
        affected: saved.affected,
        errors: [error('trotzdem', 'admin.platforms.error.affected', { count: saved.affected.length })],
        status: 409,
      });
    }
    res.redirect(303, localUrl(res, `${BASE}/plattformen/${platform.key}?gespeichert=1`));
  });
}
