import { allActions, serviceId, type Action } from '@regtrail/core';
import type { Language } from '@regtrail/core';
import { SITE_LOCALES, localizedPath } from './locales';

/** URL segment of an action page: the id without the service prefix, as `regtrail show` takes it. */
export function actionSlug(id: string): string {
  return id.startsWith(`${serviceId}.`) ? id.slice(serviceId.length + 1) : id;
}

export function actionHref(action: Pick<Action, 'id'>, lang: Language): string {
  return localizedPath(lang, `/events/${actionSlug(action.id)}/`);
}

export const eventsHref = (lang: Language) => localizedPath(lang, '/events/');
export const historyHref = (lang: Language) => localizedPath(lang, '/history/');

/** Anchor of a group's table on the Events page. */
export const groupAnchor = (group: string) => `group-${group}`;
/** Anchor of an edition on the history page. */
export const editionAnchor = (date: string) => `edition-${date}`;

/**
 * The full-id URLs of every action page, in every language, redirected to the short ones:
 * /events/container-registry.image.push/ → /events/image.push/.
 */
export function fullIdRedirects(): Record<string, string> {
  return Object.fromEntries(
    SITE_LOCALES.flatMap((s) =>
      allActions()
        .filter((a) => actionSlug(a.id) !== a.id)
        .map((a) => [localizedPath(s.lang, `/events/${a.id}/`), actionHref(a, s.lang)]),
    ),
  );
}
