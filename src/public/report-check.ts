import type { AccountCheck } from '../reports/service';
import type { PublicService } from './service';

/**
 * The account check the report form asks (src/reports): the same verdict as /pruefen, so an
 * address is reported exactly when the check would offer "Account melden" — unknown, a
 * look-alike or a known impostor, never an official account or a link without an account.
 */
export function reportAccountCheck(service: PublicService): AccountCheck {
  return async (input) => {
    const outcome = await service.verify(await service.snapshot(await service.state()), input);
    switch (outcome.result) {
      case 'invalid':
        return { ok: false, reason: 'invalid', detail: outcome.reason };
      case 'official':
      case 'formerly_official':
        return { ok: false, reason: 'official' };
      case 'unresolvable':
        return { ok: false, reason: 'unresolvable' };
      case 'impostor':
        return { ok: true, platform: outcome.platform, ...outcome.report };
      case 'unknown':
        if (outcome.report && outcome.platform) return { ok: true, platform: outcome.platform, ...outcome.report };
        return { ok: false, reason: outcome.reason === 'host_not_allowed' ? 'host_not_allowed' : 'not_an_account' };
    }
  };
}
