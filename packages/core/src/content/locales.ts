import fs from 'node:fs';
import path from 'node:path';
import { displayPath, type ContentProblem } from './problems.js';

/** Every `{{name}}` an i18next string interpolates, sorted. */
export function interpolationVariables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();
}

/** i18next's plural suffixes (`key_one`, `key_other`): the CLDR plural categories. */
const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/**
 * A flat key that is one plural form of a string (`history.table_one` is the `one` form of
 * `history.table`), or undefined for a key that is not.
 */
export function pluralForm(key: string): { readonly base: string; readonly category: string } | undefined {
  const m = /^(.+)_([a-z]+)$/.exec(key);
  return m && (PLURAL_CATEGORIES as readonly string[]).includes(m[2]!) ? { base: m[1]!, category: m[2]! } : undefined;
}

/** The plural forms a language needs (en: one, other; zh-CN: other), as i18next picks them. */
export function pluralCategories(lng: string): string[] {
  const have = new Intl.PluralRules(lng).resolvedOptions().pluralCategories as string[];
  return PLURAL_CATEGORIES.filter((c) => have.includes(c));
}

/** Flattens nested resources to `a.b.c` → string; non-string leaves are reported. */
export function flattenResources(
  obj: unknown,
  onBadLeaf?: (key: string) => void,
  prefix = '',
  out: Map<string, string> = new Map(),
): Map<string, string> {
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) flattenResources(v, onBadLeaf, key, out);
      else if (typeof v === 'string') out.set(key, v);
      else onBadLeaf?.(key);
    }
  }
  return out;
}

export interface LoadedLocales {
  readonly languages: string[];
  /** language → namespace → nested resource object */
  readonly resources: Record<string, Record<string, Record<string, unknown>>>;
  /** language → namespace → flat key → string, for checks */
  readonly flat: Record<string, Record<string, Map<string, string>>>;
  /** language → namespace → display path of the file */
  readonly files: Record<string, Record<string, string>>;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Reads content/locales/<lng>/<namespace>.json. */
export function readLocales(dir: string, problems: ContentProblem[]): LoadedLocales {
  const out: LoadedLocales = { languages: [], resources: {}, flat: {}, files: {} };
  let languages: string[];
  try {
    languages = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch (err) {
    problems.push({ file: displayPath(dir), key: '', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    return out;
  }
  for (const lng of languages) {
    out.languages.push(lng);
    out.resources[lng] = {};
    out.flat[lng] = {};
    out.files[lng] = {};
    for (const name of fs.readdirSync(path.join(dir, lng)).filter((f) => f.endsWith('.json')).sort()) {
      const ns = name.slice(0, -'.json'.length);
      const file = path.join(dir, lng, name);
      const shown = displayPath(file);
      out.files[lng]![ns] = shown;
      const text = fs.readFileSync(file, 'utf8');
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        const pos = /position (\d+)/.exec(String((err as Error).message));
        problems.push({
          file: shown,
          ...(pos ? { line: lineAt(text, Number(pos[1])) } : {}),
          key: '',
          message: `invalid JSON: ${(err as Error).message}`,
        });
        continue;
      }
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        problems.push({ file: shown, key: '', message: 'expected a JSON object of translation keys' });
        continue;
      }
      out.resources[lng]![ns] = data as Record<string, unknown>;
      out.flat[lng]![ns] = flattenResources(data, (key) =>
        problems.push({ file: shown, key, message: 'expected a string or an object of strings' }),
      );
      for (const [key, value] of out.flat[lng]![ns]!) {
        if (!value.trim()) problems.push({ file: shown, key, message: 'empty translation' });
      }
    }
  }
  return out;
}
