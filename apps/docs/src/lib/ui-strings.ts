import { resources } from '@regtrail/core';
import { flattenResources } from '@regtrail/core/internal';
import { SITE_LOCALES } from './locales';

/**
 * Starlight's own UI strings (anchor labels, search, copy buttons, 404, …) in every site language,
 * from content/locales/<lng>/docs.json under `ui` (keys as Starlight names them, such as
 * `heading.anchorLabel`), so they are translated, checked and tracked like every other string.
 *
 * They reach Starlight through a plugin's injectTranslations rather than files in an `i18n`
 * content collection: Starlight reads that collection from src/content/i18n/*.json files, and
 * Expressive Code (the copy button) only sees those files or plugin translations; a plugin takes
 * the strings from content/ as they are.
 *
 * content/ strings may only interpolate the product names, so a variable that Starlight fills in
 * is written in brackets there, lower case (`Section titled “[title]”`), and becomes `{{title}}`
 * here; Pagefind's own upper-case `[SEARCH_TERM]` stays as it is.
 */
export function starlightUiStrings(): Record<string, Record<string, string>> {
  return Object.fromEntries(
    SITE_LOCALES.map((s) => {
      const docs = (resources as Record<string, Record<string, unknown>>)[s.lang]?.docs as { ui?: unknown } | undefined;
      return [s.lang, Object.fromEntries([...flattenResources(docs?.ui)].map(([k, v]) => [k, v.replace(/\[([a-z]\w*)\]/g, '{{$1}}')]))];
    }),
  );
}

/** The Starlight plugin that injects them. */
export function uiStringsPlugin() {
  return {
    name: 'regtrail-ui-strings',
    hooks: {
      'i18n:setup'({ injectTranslations }: { injectTranslations: (t: Record<string, Record<string, string>>) => void }) {
        injectTranslations(starlightUiStrings());
      },
      // Starlight requires this hook of every plugin; the strings need nothing more.
      'config:setup'() {},
    },
  };
}
