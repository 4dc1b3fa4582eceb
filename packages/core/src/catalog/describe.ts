import { getAction, type ActionId } from './catalog.js';
import { translator, type Language } from '../i18n/i18n.js';

/** The action's description in a language, product names filled in. */
export function describeAction(id: ActionId | string, lng: Language | string = 'en'): string {
  const action = getAction(id);
  return translator(lng)(`actions:${action.objectType}.${action.verb}`);
}

/** A group's title in a language. */
export function groupTitle(group: string, lng: Language | string = 'en'): string {
  return translator(lng)(`groups:${group}`);
}
