import fs from 'node:fs';
import path from 'node:path';
import { translator, type Language } from '@regtrail/core';
import { lastChanged, pageHash } from '@regtrail/translations';
import { SITE_LOCALES, localizedPath } from './locales';
import { longDate } from './dates';

/** What a stale translated page tells its reader. */
export interface TranslationNotice {
  readonly title: string;
  /** "The English of this page changed on June 21, 2019; …", in the page's language. */
  readonly text: string;
  readonly linkText: string;
  /** The English page. */
  readonly href: string;
}

/**
 * The notice for a translated docs page whose English changed after it was translated (its
 * front matter `sourceHash` is not the English page's hash; see `npm run translations`), or
 * undefined for an English page, an untracked one, or one that is up to date.
 *
 * `filePath` is the page's file as Starlight gives it (relative to `projectRoot`), `id` its
 * entry id (`zh-cn/cli`).
 */
export function translationNotice(
  page: { readonly id: string; readonly filePath?: string | undefined; readonly sourceHash?: string | undefined },
  lang: Language,
  projectRoot = process.cwd(),
): TranslationNotice | undefined {
  const locale = SITE_LOCALES.find((s) => s.lang === lang)?.locale;
  if (!locale || !page.sourceHash || !page.filePath) return undefined;
  const file = path.resolve(projectRoot, page.filePath);
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf(locale);
  if (at < 0) return undefined;
  const englishFile = [...parts.slice(0, at), ...parts.slice(at + 1)].join(path.sep);
  if (!fs.existsSync(englishFile) || pageHash(fs.readFileSync(englishFile)) === page.sourceHash) return undefined;
  const t = translator(lang);
  const slug = page.id === locale ? '' : page.id.slice(locale.length + 1);
  return {
    title: t('docs:translation.title'),
    text: t('docs:translation.stale', { date: longDate(lastChanged(englishFile), lang) }),
    linkText: t('docs:translation.readEnglish'),
    href: localizedPath('en', slug ? `/${slug}/` : '/'),
  };
}
