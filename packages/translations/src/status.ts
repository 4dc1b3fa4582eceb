import fs from 'node:fs';
import { TARGET_LANGUAGE, TARGET_PAGE_DIR, shown, type Layout } from './layout.js';
import { stringHash } from './hash.js';
import { readEnglish, readSources, readTarget, writeSources, type SourceRecords } from './strings.js';
import {
  currentPageHash,
  englishFromGit,
  englishPageFile,
  listPages,
  readPageSourceHash,
  targetPageFile,
  writePageSourceHash,
} from './pages.js';
import { wordDiff, type DiffPart } from './diff.js';
import { changesetFile, changesetLanguages, listChangesets } from './changesets.js';

/**
 * - current: translated from the English as it is now
 * - pinned: fixed by the seed page, not by the English (exempt)
 * - stale: the English changed since the translation was written or last accepted
 * - untracked: translated, but what from was never recorded (run --record-new)
 * - missing: the English has it, zh-CN does not
 * - orphaned: zh-CN has it, the English does not any more
 */
export type TranslationState = 'current' | 'pinned' | 'stale' | 'untracked' | 'missing' | 'orphaned';
export const FAILING: ReadonlySet<TranslationState> = new Set(['stale', 'untracked', 'missing', 'orphaned']);

export interface TranslationEntry {
  readonly kind: 'string' | 'page' | 'changeset';
  /**
   * `namespace:key` for a string, the zh page's path under the pages folder (`zh-cn/cli.mdx`) for
   * a page, `changeset:<name>` for a pending changeset.
   */
  readonly id: string;
  readonly state: TranslationState;
  /** The zh file (or, when missing, the file it belongs in). */
  readonly file: string;
  /** For a stale string: the English it was translated from, and the English now. */
  readonly previousEnglish?: string;
  readonly english?: string;
  /** For a stale entry: the change of the English, word by word (null when the old English is not available). */
  readonly diff?: DiffPart[] | null;
}

const pageId = (page: string) => `${TARGET_PAGE_DIR}/${page}`;

function stringEntries(l: Layout): TranslationEntry[] {
  const en = readEnglish(l);
  const zh = readTarget(l);
  const out: TranslationEntry[] = [];
  for (const ns of new Set([...en.keys(), ...zh.keys()])) {
    const enKeys = en.get(ns) ?? new Map<string, string>();
    const zhKeys = zh.get(ns) ?? new Map<string, string>();
    const records = readSources(l, ns);
    const file = shown(l, `${l.localesDir}/zh-CN/${ns}.json`);
    for (const [key, english] of enKeys) {
      const id = `${ns}:${key}`;
      const rec = records.get(key);
      if (!zhKeys.has(key)) out.push({ kind: 'string', id, state: 'missing', file });
      else if (!rec) out.push({ kind: 'string', id, state: 'untracked', file });
      else if ('pinned' in rec) out.push({ kind: 'string', id, state: 'pinned', file });
      else if (rec.hash === stringHash(english)) out.push({ kind: 'string', id, state: 'current', file });
      else out.push({ kind: 'string', id, state: 'stale', file, previousEnglish: rec.en, english, diff: wordDiff(rec.en, english) });
    }
    for (const key of zhKeys.keys()) {
      if (!enKeys.has(key)) out.push({ kind: 'string', id: `${ns}:${key}`, state: 'orphaned', file });
    }
  }
  return out;
}

function pageEntries(l: Layout): TranslationEntry[] {
  const { english, target } = listPages(l);
  const out: TranslationEntry[] = [];
  for (const page of english) {
    const zhFile = targetPageFile(l, page);
    const file = shown(l, zhFile);
    if (!target.includes(page)) {
      out.push({ kind: 'page', id: pageId(page), state: 'missing', file });
      continue;
    }
    const recorded = readPageSourceHash(l, zhFile);
    if (!recorded) out.push({ kind: 'page', id: pageId(page), state: 'untracked', file });
    else if (recorded === currentPageHash(l, page)) out.push({ kind: 'page', id: pageId(page), state: 'current', file });
    else {
      const previous = englishFromGit(l, recorded);
      const now = fs.readFileSync(englishPageFile(l, page), 'utf8');
      out.push({ kind: 'page', id: pageId(page), state: 'stale', file, diff: previous === undefined ? null : wordDiff(previous, now) });
    }
  }
  for (const page of target) {
    if (!english.includes(page)) out.push({ kind: 'page', id: pageId(page), state: 'orphaned', file: shown(l, targetPageFile(l, page)) });
  }
  return out;
}

/**
 * A pending changeset is current when it carries a zh-CN summary (after `<!-- zh-CN -->`), else
 * missing. A changeset is written once and released, so what English it was translated from is
 * not recorded: it cannot go stale.
 */
function changesetEntries(l: Layout): TranslationEntry[] {
  return listChangesets(l).map((name) => ({
    kind: 'changeset' as const,
    id: `changeset:${name}`,
    state: changesetLanguages(l, name).includes(TARGET_LANGUAGE) ? ('current' as const) : ('missing' as const),
    file: shown(l, changesetFile(l, name)),
  }));
}

/** Every zh-CN string, page and pending changeset summary, with its state. */
export function translationStatus(l: Layout): TranslationEntry[] {
  return [...stringEntries(l), ...pageEntries(l), ...changesetEntries(l)];
}

/** Accepting an id that cannot be accepted: it names no string or page, or one that has no translation. */
export class AcceptError extends Error {}

/** Normalises what a person may type for a page: `cli.mdx`, `zh-cn/cli.mdx` or the file's path. */
function normaliseId(id: string, entries: readonly TranslationEntry[]): TranslationEntry | undefined {
  return entries.find((e) => e.id === id || (e.kind === 'page' && (e.file === id || e.id === pageId(id) || e.file.endsWith(`/${id}`))));
}

/**
 * Records the English each of `ids` is translated from as the English it is now: for a stale
 * entry, a translator re-read it and kept it (only the recorded hash changes); for an untracked
 * one, the translation is recorded as made from today's English. Returns the ids changed.
 */
export function accept(l: Layout, ids: readonly string[]): string[] {
  const entries = translationStatus(l);
  const chosen = ids.map((id) => {
    const e = normaliseId(id, entries);
    if (!e) throw new AcceptError(`${id}: no such string (namespace:key) or page (zh-cn/<page>.mdx)`);
    if (e.state === 'missing') throw new AcceptError(`${e.id}: has no zh-CN translation to accept; translate it in ${e.file}`);
    if (e.state === 'orphaned') throw new AcceptError(`${e.id}: its English was removed; delete it from ${e.file}`);
    if (e.state === 'pinned') throw new AcceptError(`${e.id}: is pinned to the seed page, not to the English`);
    return e;
  });
  return record(l, chosen);
}

/** Records the source of every untracked translation (for translations added without one). */
export function recordNew(l: Layout): string[] {
  return record(l, translationStatus(l).filter((e) => e.state === 'untracked'));
}

function record(l: Layout, chosen: readonly TranslationEntry[]): string[] {
  const changed: string[] = [];
  const english = readEnglish(l);
  const zh = readTarget(l);
  const byNamespace = new Map<string, string[]>();
  for (const e of chosen) {
    if (e.state === 'current') continue;
    if (e.kind === 'page') {
      const page = e.id.slice(TARGET_PAGE_DIR.length + 1);
      writePageSourceHash(targetPageFile(l, page), currentPageHash(l, page));
    } else {
      const at = e.id.indexOf(':');
      const ns = e.id.slice(0, at);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), e.id.slice(at + 1)]);
    }
    changed.push(e.id);
  }
  for (const [ns, keys] of byNamespace) {
    const records: SourceRecords = readSources(l, ns);
    const enKeys = english.get(ns)!;
    for (const key of keys) {
      const text = enKeys.get(key)!;
      records.set(key, { hash: stringHash(text), en: text });
    }
    const zhKeys = zh.get(ns) ?? new Map<string, string>();
    writeSources(l, ns, records, [...enKeys.keys()].filter((k) => zhKeys.has(k)));
  }
  return changed;
}
