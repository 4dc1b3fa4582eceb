import { listActions, listRegions, locationEditions } from '@regtrail/core';
import { eventSchema } from '@regtrail/core/validate';

/**
 * The files the site offers for download, made at build time by the same functions the library
 * and the CLI answer with, and written as `regtrail … --json` prints JSON (two-space indent, one
 * trailing newline).
 */
export const DOWNLOADS = {
  /** Every action ever listed, removed ones included: listActions({ includeRemoved: true }). */
  'catalog.json': () => listActions({ includeRemoved: true }),
  /** The registry regions and every edition of the event-location rule. */
  'regions.json': () => ({ regions: listRegions(), locationEditions: locationEditions() }),
  /** The JSON Schema of events, as `regtrail schema` prints it. */
  'schema.json': () => eventSchema(),
} as const;

export type DownloadName = keyof typeof DOWNLOADS;

export const downloadText = (name: DownloadName) => `${JSON.stringify(DOWNLOADS[name](), null, 2)}\n`;
