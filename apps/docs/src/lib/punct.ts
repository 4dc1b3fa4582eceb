import type { Language } from '@regtrail/core';
import { tFor } from './locales';

/**
 * A language's separators and brackets, from content/locales/<lng>/docs.json (`punct`): English
 * writes `Added: a, b (23)`, Chinese `已添加：a、b（23）`. Components take them from here and never
 * type `: `, `, ` or `()` themselves.
 */
export interface Punctuation {
  /** After a label, before what it labels. */
  readonly colon: string;
  /** Between the items of a list. */
  readonly list: string;
  readonly open: string;
  readonly close: string;
  /** Between the two ends of a range (of dates, numbers). */
  readonly range: string;
}

export function punctuation(lang: Language): Punctuation {
  const t = tFor(lang);
  return {
    colon: t('docs:punct.colon'),
    list: t('docs:punct.listSeparator'),
    open: t('docs:punct.openParen'),
    close: t('docs:punct.closeParen'),
    range: t('docs:punct.range'),
  };
}

// Full-width punctuation (CJK Symbols and Punctuation, Halfwidth and Fullwidth Forms, curly
// quotes) carries its own spacing.
const OWN_SPACING = /[\u3000-\u303f\uff00-\uffef\u2018-\u201f]$/;

/**
 * The space to put between a sentence and the link or value that follows it: none after a
 * full-width colon (`日期：2019-06-21`), one after anything else (`removed on 2019-06-21`).
 */
export function gapAfter(text: string): string {
  return OWN_SPACING.test(text) ? '' : ' ';
}
