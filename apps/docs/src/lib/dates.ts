import type { Language } from '@regtrail/core';

/**
 * A date as prose reads it in a language: June 21, 2019 / 2019年6月21日 (tables keep ISO dates).
 * An ISO date (2019-06-21) is that calendar day, whatever the build machine's time zone.
 */
export function longDate(date: Date | string, lang: Language): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(typeof date === 'string' ? new Date(`${date}T00:00:00Z`) : date);
}
