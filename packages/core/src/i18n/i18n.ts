import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { content, type Language } from '../generated/content.js';
import { RegtrailError } from '../errors.js';

export type { Language };

export const languages = content.languages as readonly Language[];
export const defaultLanguage: Language = 'en';
/** The i18next resources (language → namespace → keys), for other packages to load. */
export const resources = content.locales;
type ProductNames = Readonly<Record<string, string | Readonly<Record<string, string>>>>;
const productNames: ProductNames = content.service.products;

/** Brand names in one language (a product without a name of its own there keeps its English name). */
export function productsIn(lng: Language | string = defaultLanguage): Readonly<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(productNames).map(([name, v]) => [name, typeof v === 'string' ? v : (v[lng] ?? v[defaultLanguage]!)]),
  );
}

/** Brand names interpolated into every string (`{{registry}}` and so on), in English. */
export const products: Readonly<Record<string, string>> = productsIn(defaultLanguage);
/** The brand names that are the same in every language: i18next's default variables. */
const sharedProducts = Object.fromEntries(Object.entries(productNames).filter(([, v]) => typeof v === 'string')) as Record<string, string>;

/**
 * A new, initialised i18next instance holding the catalog's resources. Product names are default
 * interpolation variables, so `t('actions:image.push')` comes out complete; a product named per
 * language is filled in for the language being translated to.
 */
export function createI18n(lng: Language = defaultLanguage): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: resources as Record<string, Record<string, object>>,
    lng,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    ns: Object.keys(resources[defaultLanguage] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    showSupportNotice: false,
    returnNull: false,
    interpolation: { escapeValue: false, defaultVariables: { ...sharedProducts } },
    // Called for a variable the call did not pass: a per-language product name, or a mistake
    // (left as written, as i18next does without this handler).
    missingInterpolationHandler: (_text: string, match: RegExpExecArray, options?: { lng?: string }) => {
      const name = match[1]!.trim();
      const v = productNames[name];
      if (v === undefined || typeof v === 'string') return match[0];
      const want = options?.lng ?? instance.language ?? defaultLanguage;
      return v[want] ?? v[defaultLanguage];
    },
  });
  return instance;
}

/** The shared instance the library translates with. */
export const i18n: I18n = createI18n();

export function isLanguage(lng: string): lng is Language {
  return (languages as readonly string[]).includes(lng);
}

/** Checks a language code (case-insensitive: zh-cn is zh-CN) and returns its canonical form. */
export function resolveLanguage(lng: string): Language {
  const found = languages.find((l) => l.toLowerCase() === lng.toLowerCase());
  if (!found) throw new RegtrailError('UNKNOWN_LANGUAGE', `unknown language ${JSON.stringify(lng)}; use one of ${languages.join(', ')}`);
  return found;
}

/** A translate function fixed to one language. */
export function translator(lng: Language | string = defaultLanguage): TFunction {
  return i18n.getFixedT(resolveLanguage(lng));
}
