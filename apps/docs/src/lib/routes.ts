import { serviceId, type Action } from '@regtrail/core';
import type { Language } from '@regtrail/core';
import { localizedPath } from './locales';

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
