import { translator, type Language } from '../i18n/i18n.js';
import type { Severity } from '../event/types.js';

/** Localized "Data event" / "Management event" / "Not classified". */
export function kindLabel(dataEvent: boolean | 'unclassified', lng: Language | string = 'en'): string {
  const t = translator(lng);
  return t(dataEvent === 'unclassified' ? 'flags.unclassified' : dataEvent ? 'flags.dataEvent' : 'flags.managementEvent');
}

/** Localized status mark, such as "Deprecated 2019-06-21" (不推荐 …) or "Removed 2021-08-23"; empty when listed. */
export function statusLabel(a: { deprecated?: string; removed?: string }, lng: Language | string = 'en'): string {
  const t = translator(lng);
  if (a.removed) return `${t('flags.removed')} ${a.removed}`;
  if (a.deprecated) return `${t('flags.deprecated')} ${a.deprecated}`;
  return '';
}

/** Localized default severity ("Normal", 正常, ...). */
export function severityLabel(severity: Severity, lng: Language | string = 'en'): string {
  return translator(lng)(`severity.${severity}`);
}

/**
 * The mark a deprecated action's description carries in a table, as the seed page writes it:
 * " (Deprecated)" in English, "（不推荐）" in Chinese (leading space and brackets included).
 */
export function deprecatedMark(lng: Language | string = 'en'): string {
  return translator(lng)('marks.deprecated');
}
