import { languages, translator, type Language } from '@regtrail/core';

/**
 * The site's languages and where they live: English at the root, Simplified Chinese under
 * /zh-cn/. Everything that needs a locale (Starlight config, routes, links) reads this list.
 */
export interface SiteLocale {
  /** Starlight locale key and URL prefix; undefined for the root locale. */
  readonly locale: string | undefined;
  /** Catalog language (i18next / BCP-47). */
  readonly lang: Language;
  /** Name shown in the language picker, in its own language. */
  readonly label: string;
}

export const SITE_LOCALES: readonly SiteLocale[] = [
  { locale: undefined, lang: 'en', label: 'English' },
  { locale: 'zh-cn', lang: 'zh-CN', label: '简体中文' },
];

// The catalog must not gain a language the site does not publish, nor the other way round.
const missing = languages.filter((l) => !SITE_LOCALES.some((s) => s.lang === l));
if (missing.length) throw new Error(`docs: no site locale for catalog language(s) ${missing.join(', ')}`);

export function siteLocale(lang: Language): SiteLocale {
  return SITE_LOCALES.find((s) => s.lang === lang)!;
}

/** A site path in a language: localizedPath('zh-CN', '/events/') is '/zh-cn/events/'. */
export function localizedPath(lang: Language, path: string): string {
  const { locale } = siteLocale(lang);
  return locale ? `/${locale}${path}` : path;
}

/** getStaticPaths entries for a page that exists once per language, under a `[...locale]` param. */
export function localeStaticPaths(): { params: { locale: string | undefined }; props: { lang: Language } }[] {
  return SITE_LOCALES.map((s) => ({ params: { locale: s.locale }, props: { lang: s.lang } }));
}

/**
 * The translate function for site text in one language (namespaces of @regtrail/core), with
 * i18next's options: `{ count }` picks the plural form, `{ date }` is a date already formatted.
 */
export function tFor(lang: Language): (key: string, options?: { count?: number; date?: string }) => string {
  const t = translator(lang);
  return (key, options) => (options ? t(key, options) : t(key));
}

/** A translation in every language, keyed by lang, as Starlight's `translations` options take it. */
export function allTranslations(key: string): Record<string, string> {
  return Object.fromEntries(SITE_LOCALES.map((s) => [s.lang, tFor(s.lang)(key)]));
}
