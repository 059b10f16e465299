import type { Translate } from '../i18n/keys';
import { isHistoryAction } from './actions';

/**
 * The one place that turns a history action into words, for every page and export that shows
 * the history. An action this version does not know (left by an older one) gets a neutral
 * text, never its raw key.
 */
export function historyLabel(t: Translate, action: string): string {
  return isHistoryAction(action) ? t(`history.action.${action}`) : t('history.action.unknown');
}
