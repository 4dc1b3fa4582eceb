import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { productsIn } from '@regtrail/core';
import { TARGET_LANGUAGE, shown, type Layout } from './layout.js';
import { TranslationsInputError, readEnglish, readTarget } from './strings.js';
import { englishPageFile, listPages, targetPageFile } from './pages.js';

/** One entry of content/locales/glossary.yaml. */
export interface Term {
  readonly en: string;
  /** Finds the term in English text. */
  readonly source: RegExp;
  /** Its zh-CN renderings (usually one). */
  readonly renderings: readonly string[];
  readonly forbid: readonly string[];
  /** Forbidden only where the English has the term. */
  readonly onlyWithSource: boolean;
}

/** A translated text with the English it comes from. */
export interface TranslatedText {
  /** `namespace:key` or `zh-cn/<page>`. */
  readonly id: string;
  readonly file: string;
  readonly zh: string;
  readonly en: string;
}

export interface TermViolation {
  readonly id: string;
  readonly file: string;
  readonly term: string;
  readonly found: string;
  readonly use: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads and checks the term base; a problem names the file, line and entry. */
export function readGlossary(l: Layout): Term[] {
  const file = shown(l, l.glossaryFile);
  const text = fs.readFileSync(l.glossaryFile, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length) throw new TranslationsInputError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
  const data = doc.toJS() as { terms?: unknown };
  if (!Array.isArray(data?.terms)) throw new TranslationsInputError(`${file}: expected a list under terms:`);
  const strings = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string' && x) ? (v as string[]) : undefined);
  return data.terms.map((t: Record<string, unknown>, i: number) => {
    const at = (key: string, message: string): never => {
      const node = doc.getIn(['terms', i, key], true) as { range?: [number] } | undefined;
      const offset = node?.range?.[0] ?? (doc.getIn(['terms', i], true) as { range?: [number] } | undefined)?.range?.[0] ?? 0;
      const line = text.slice(0, offset).split('\n').length;
      throw new TranslationsInputError(`${file}:${line}: terms[${i}].${key}: ${message}`);
    };
    const known = new Set(['en', 'source', TARGET_LANGUAGE, 'note', 'forbid', 'where']);
    for (const key of Object.keys(t ?? {})) if (!known.has(key)) at(key, `unknown key; expected ${[...known].join(', ')}`);
    if (typeof t.en !== 'string' || !t.en) at('en', 'expected the English term');
    const renderings = strings(t[TARGET_LANGUAGE]) ?? at(TARGET_LANGUAGE, 'expected the zh-CN rendering (or a list of them)');
    const forbid = strings(t.forbid ?? []) ?? at('forbid', 'expected a list of forbidden variants');
    if (t.where !== undefined && t.where !== 'everywhere' && t.where !== 'source') at('where', 'expected everywhere or source');
    let source: RegExp;
    try {
      source = new RegExp(typeof t.source === 'string' ? t.source : `\\b${escape(t.en as string)}`, 'iu');
    } catch (err) {
      return at('source', (err as Error).message);
    }
    return { en: t.en as string, source, renderings, forbid, onlyWithSource: t.where === 'source' };
  });
}

/**
 * The prose of a text: code blocks, code spans, link targets, URLs, ids and MDX import lines
 * removed, i18next variables filled in with the zh-CN product names.
 */
function prose(text: string, products: Readonly<Record<string, string>> = {}): string {
  return text
    .replace(/^```[\s\S]*?^```/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/^(import|export) .*$/gm, ' ')
    .replace(/\]\([^)]*\)/g, '] ')
    .replace(/\b[a-z]+:\/\/\S+/gi, ' ')
    .replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => products[name] ?? ' ')
    .replace(/\b[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+\b/gi, ' ');
}

/** Every forbidden variant found in the texts. */
export function checkTerms(terms: readonly Term[], texts: readonly TranslatedText[]): TermViolation[] {
  const products = productsIn(TARGET_LANGUAGE);
  const out: TermViolation[] = [];
  for (const t of texts) {
    const zh = prose(t.zh, products);
    const en = prose(t.en, productsIn('en'));
    for (const term of terms) {
      if (term.onlyWithSource && !term.source.test(en)) continue;
      // Occurrences inside an approved rendering (漏洞顾问 in 漏洞顾问程序) do not count.
      let masked = zh;
      for (const r of [...term.renderings].sort((a, b) => b.length - a.length)) masked = masked.split(r).join('\u0000');
      for (const bad of term.forbid) {
        if (masked.toLowerCase().includes(bad.toLowerCase())) {
          out.push({ id: t.id, file: t.file, term: term.en, found: bad, use: term.renderings.join(' / ') });
        }
      }
    }
  }
  return out;
}

/** Every zh-CN string and page with its English, as the term base check reads them. */
export function translatedTexts(l: Layout): TranslatedText[] {
  const out: TranslatedText[] = [];
  const en = readEnglish(l);
  for (const [ns, keys] of readTarget(l)) {
    for (const [key, zh] of keys) {
      out.push({ id: `${ns}:${key}`, file: shown(l, `${l.localesDir}/${TARGET_LANGUAGE}/${ns}.json`), zh, en: en.get(ns)?.get(key) ?? '' });
    }
  }
  const pages = listPages(l);
  for (const page of pages.target) {
    const enFile = englishPageFile(l, page);
    out.push({
      id: `zh-cn/${page}`,
      file: shown(l, targetPageFile(l, page)),
      zh: fs.readFileSync(targetPageFile(l, page), 'utf8'),
      en: fs.existsSync(enFile) ? fs.readFileSync(enFile, 'utf8') : '',
    });
  }
  return out;
}
