/**
 * The views `regtrail show` prints, precomputed by the build (scripts/show-snapshot.ts) from the
 * catalog: one JSON file a language, dist/show/<language, lower case>.json, holding every action
 * under each name `show` accepts for it (container-registry.image.push and image.push). Reading
 * one of them is all `show` does at start-up; a name or a language not found there (a mistake,
 * or a run from the sources, without a build) goes to the library, which answers or explains.
 */
import { readFileSync } from 'node:fs';
import type { ShowView } from './show-view.js';

export interface ShowSnapshot {
  /** The language as the catalog spells it (zh-CN). */
  readonly language: string;
  /** Every name of every action (image.push and container-registry.image.push), to its id. */
  readonly names: Readonly<Record<string, string>>;
  /** Every action's view, by id. */
  readonly views: Readonly<Record<string, ShowView>>;
}

/** A language's snapshot file, relative to dist/ (language codes are matched case-insensitively, as the library does). */
export const snapshotPath = (lang: string): string => `show/${lang.toLowerCase()}.json`;

/** A language code as a file name: letters, digits and dashes only (`--lang ../x` never reads a file). */
const LANGUAGE = /^[a-z0-9]+(-[a-z0-9]+)*$/i;

/** The precomputed view, or undefined when there is none for this name and language. */
export function snapshotView(id: string, lang: string): ShowView | undefined {
  if (!LANGUAGE.test(lang)) return undefined;
  let snapshot: ShowSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(new URL(snapshotPath(lang), import.meta.url), 'utf8')) as ShowSnapshot;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return Object.hasOwn(snapshot.names, id) ? snapshot.views[snapshot.names[id]!] : undefined;
}
