import fs from 'node:fs';
import path from 'node:path';
import { flattenResources, pluralForm } from '@regtrail/core/internal';
import { SOURCE_LANGUAGE, TARGET_LANGUAGE, shown, type Layout } from './layout.js';

/**
 * What a zh-CN string was translated from, as kept in content/locales/zh-CN/.sources/<ns>.json:
 * the hash of the English string and the English itself (so that a stale string can show the
 * old English beside the new), or `pinned: "seed"` for the strings fixed by the seed page.
 */
type SourceRecord = { readonly hash: string; readonly en: string } | { readonly pinned: 'seed' };

export type SourceRecords = Map<string, SourceRecord>;

/** A problem with a file the status reads, named by file and key. */
export class TranslationsInputError extends Error {}

function readJson(file: string, l: Layout): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TranslationsInputError(`${shown(l, file)}: invalid JSON: ${(err as Error).message}`);
  }
}

/**
 * The strings a translator translates: a flat key → string map in which the plural forms of a
 * string (en: x_one, x_other; zh-CN: x_other) are one entry under their base key, their texts
 * joined by a line break, since languages have different forms.
 */
function units(flat: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, text] of flat) {
    const base = pluralForm(key)?.base ?? key;
    out.set(base, out.has(base) ? `${out.get(base)}\n${text}` : text);
  }
  return out;
}

/** Namespace → translation unit (see units) → string, for one language. */
function readStrings(l: Layout, lng: string): Map<string, Map<string, string>> {
  const dir = path.join(l.localesDir, lng);
  const out = new Map<string, Map<string, string>>();
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort()) {
    const file = path.join(dir, name);
    out.set(
      name.slice(0, -'.json'.length),
      units(
        flattenResources(readJson(file, l), (key) => {
          throw new TranslationsInputError(`${shown(l, file)}: ${key}: expected a string or an object of strings`);
        }),
      ),
    );
  }
  return out;
}

export const readEnglish = (l: Layout) => readStrings(l, SOURCE_LANGUAGE);
export const readTarget = (l: Layout) => readStrings(l, TARGET_LANGUAGE);

function sourcesFile(l: Layout, ns: string): string {
  return path.join(l.sourcesDir, `${ns}.json`);
}

/** The source records of one namespace (empty when it has none yet). */
export function readSources(l: Layout, ns: string): SourceRecords {
  const file = sourcesFile(l, ns);
  const out: SourceRecords = new Map();
  if (!fs.existsSync(file)) return out;
  const data = readJson(file, l);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new TranslationsInputError(`${shown(l, file)}: expected an object of key → source record`);
  }
  for (const [key, rec] of Object.entries(data as Record<string, unknown>)) {
    const r = rec as Record<string, unknown> | null;
    if (r && r.pinned === 'seed' && Object.keys(r).length === 1) out.set(key, { pinned: 'seed' });
    else if (r && typeof r.hash === 'string' && typeof r.en === 'string') out.set(key, { hash: r.hash, en: r.en });
    else throw new TranslationsInputError(`${shown(l, file)}: ${key}: expected {"hash", "en"} or {"pinned": "seed"}`);
  }
  return out;
}

/**
 * Writes one namespace's records, in the order of the given keys (the English file's order),
 * dropping records of keys that have no translation any more.
 */
export function writeSources(l: Layout, ns: string, records: SourceRecords, order: Iterable<string>): void {
  const sorted: Record<string, SourceRecord> = {};
  for (const key of order) {
    const r = records.get(key);
    if (r) sorted[key] = r;
  }
  fs.mkdirSync(l.sourcesDir, { recursive: true });
  fs.writeFileSync(sourcesFile(l, ns), `${JSON.stringify(sorted, null, 2)}\n`);
}
