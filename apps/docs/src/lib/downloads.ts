import { describeAction, languages, listActions, listRegions, locationEditions, type Language } from '@regtrail/core';
import { eventSchema } from '@regtrail/core/validate';

/**
 * `/catalog.json`: every action ever listed, removed ones included, exactly as
 * `listActions({ includeRemoved: true })` returns them (so a consumer can type them with the
 * library's `CatalogEntry`), and beside them each action's description in every catalog language,
 * by language then by full action id, as `describeAction(id, lng)` gives it.
 */
function catalogDownload() {
  const actions = listActions({ includeRemoved: true });
  const descriptions = Object.fromEntries(
    languages.map((lng) => [lng, Object.fromEntries(actions.map((a) => [a.id, describeAction(a.id, lng)]))]),
  ) as Record<Language, Record<string, string>>;
  return { actions, descriptions };
}

/**
 * The files the site offers for download, made at build time by the same functions the library
 * and the CLI answer with, and written as `regtrail … --json` prints JSON (two-space indent, one
 * trailing newline). What each holds is said beside its link (docs:downloads.about).
 */
export const DOWNLOADS = {
  'catalog.json': catalogDownload,
  /** The registry regions and every edition of the event-location rule. */
  'regions.json': () => ({ regions: listRegions(), locationEditions: locationEditions() }),
  /** The JSON Schema of events, as `regtrail schema` prints it. */
  'schema.json': () => eventSchema(),
} as const;

export type DownloadName = keyof typeof DOWNLOADS;

export const downloadText = (name: DownloadName) => `${JSON.stringify(DOWNLOADS[name](), null, 2)}\n`;
