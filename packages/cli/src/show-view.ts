/**
 * What `regtrail show` prints about one action in one language, as data: the JSON of `--json`,
 * and the labelled facts and field headings of the table. `showView` derives it from the catalog
 * (@regtrail/core/catalog, i18next); the build writes it for every action and language into
 * dist/show/ (scripts/show-snapshot.ts), so that `show` starts without loading the library.
 */
import { getAction, kindLabel, resolveLanguage, severityLabel, translator, type Language } from '@regtrail/core/catalog';
import { actionJson, type ActionJson } from './format.js';

export interface ShowView {
  readonly json: ActionJson;
  /** Label and value, one pair a row of the facts table. */
  readonly facts: readonly (readonly [string, string])[];
  /** The fields table's title and headers. */
  readonly fieldsTitle: string;
  readonly fieldHeaders: readonly string[];
}

/** The view of an action id (with or without the service prefix) in a language; throws the library's errors for an unknown one. */
export function showView(id: string, lang: string): ShowView {
  const lng: Language = resolveLanguage(lang);
  const action = getAction(id);
  const json = actionJson(action, lng);
  const t = translator(lng);
  const facts: [string, string][] = [
    [t('labels.group'), json.groupTitle],
    [t('labels.kind'), kindLabel(action.dataEvent, lng)],
    [t('labels.severity'), severityLabel(action.severity, lng)],
    [t('labels.targetTypeURI'), action.targetTypeURI],
    [t('labels.since'), action.since],
    ...(action.deprecated ? [[t('labels.deprecatedOn'), action.deprecated] as [string, string]] : []),
    ...(action.removed ? [[t('labels.removedOn'), action.removed] as [string, string]] : []),
  ];
  return {
    json,
    facts,
    fieldsTitle: t('cli:show.fields'),
    fieldHeaders: [t('labels.field'), t('labels.type'), t('labels.values'), t('labels.description')],
  };
}
