import { diffWordsWithSpace } from 'diff';

/** One run of a word diff: unchanged (`=`), removed from the old English (`-`) or added (`+`). */
export interface DiffPart {
  readonly op: '=' | '-' | '+';
  readonly text: string;
}

/** The word diff of two English texts (the `diff` package's word diff, keeping whitespace). */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({ op: c.added ? '+' : c.removed ? '-' : '=', text: c.value }));
}

export interface DiffStyle {
  readonly removed: (s: string) => string;
  readonly added: (s: string) => string;
}

/** git's --word-diff=plain markers, for terminals without colour and for logs. */
export const plainStyle: DiffStyle = { removed: (s) => `[-${s}-]`, added: (s) => `{+${s}+}` };
/** Red strike-through and green underline. */
export const colourStyle: DiffStyle = {
  removed: (s) => `\x1b[31m\x1b[9m${s}\x1b[0m`,
  added: (s) => `\x1b[32m\x1b[4m${s}\x1b[0m`,
};

/**
 * The diff as one text: changes marked, unchanged runs longer than `context` characters on each
 * side shortened to their ends with `…`, so that a page's diff shows only what changed.
 */
export function renderDiff(parts: readonly DiffPart[], style: DiffStyle, context = 60): string {
  return parts
    .map((p, i) => {
      if (p.op === '-') return style.removed(p.text);
      if (p.op === '+') return style.added(p.text);
      const first = i === 0;
      const last = i === parts.length - 1;
      if ((first && last) || p.text.length <= 2 * context + 1) return p.text;
      const head = first ? '…' : `${p.text.slice(0, context)} …`;
      const tail = last ? '' : ` ${p.text.slice(-context)}`;
      return `${head}${tail}`;
    })
    .join('');
}
