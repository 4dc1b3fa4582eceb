/**
 * Plain-text tables whose columns line up in a terminal, Chinese (double-width) text included,
 * and fit its width: the columns named `wrap` (descriptions, names) are wrapped onto more lines
 * when the table would be wider than the terminal; the others (ids, dates) never are, nor is
 * anything cut. Piped output (not a terminal, no COLUMNS) keeps every row on one line.
 */
export interface TableOptions {
  /** Indexes of the columns that may be wrapped to fit. */
  readonly wrap?: readonly number[];
  /** The width to fit in; default: outputWidth(). Infinity for none. */
  readonly width?: number;
}

/**
 * A column that is wrapped keeps at least its header's width and its longest word's, up to this
 * (a longer word, such as an image reference, is broken), however narrow the terminal.
 */
const MIN_WRAPPED = 16;
const GAP = 2;

/**
 * The width to fit tables in: COLUMNS when it is set (as for ls), else the terminal's width when
 * standard output is one, else none (Infinity): a pipe gets whole lines.
 */
function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const columns = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(columns) && columns > 0) return columns;
  if (stream.isTTY && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  return Infinity;
}

/**
 * Text whose width is known without loading string-width (its grapheme segmenter and emoji
 * tables cost more than the rest of `regtrail show`): printable ASCII and the typographic
 * punctuation the catalog's texts use (– — ‘ ’ “ ” …), one column a character, and the CJK
 * characters, kana and full-width forms of Chinese (and Japanese) text, two columns each. None
 * of them joins a neighbour into one grapheme (the combining marks of those blocks, U+302A–302F
 * and U+3099–309A, are left out), so the width is the sum over the characters. The surface tests
 * check every character of this class against string-width.
 */
export const KNOWN_WIDTH = /^[\x20-\x7e\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u3029\u3030-\u303e\u3041-\u3096\u309b-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6]*$/;

/** The width of text that KNOWN_WIDTH matches: two columns from U+3000 on, one below. */
export function knownWidth(s: string): number {
  let width = s.length;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x3000) width++;
  return width;
}

async function widthOf(cells: readonly string[]): Promise<(s: string) => number> {
  if (cells.every((c) => KNOWN_WIDTH.test(c))) return knownWidth;
  return (await import('string-width')).default;
}

export async function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): Promise<string> {
  const width = await widthOf([...headers, ...rows.flat()]);
  const natural = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const wrap = [...new Set(options.wrap ?? [])].filter((i) => i >= 0 && i < headers.length);
  const longestWord = (i: number) => Math.max(0, ...rows.flatMap((r) => (r[i] ?? '').split(/\s+/).map(width)));
  const minimum = headers.map((h, i) => (wrap.includes(i) ? Math.min(natural[i]!, Math.max(width(h), Math.min(MIN_WRAPPED, longestWord(i)))) : natural[i]!));
  const widths = fit(natural, minimum, wrap, options.width ?? outputWidth());
  let cells: (readonly string[])[][] = [headers, ...rows].map((r) => headers.map((_, i) => [r[i] ?? '']));
  if (widths.some((w, i) => w < natural[i]!)) {
    const { default: wrapAnsi } = await import('wrap-ansi');
    cells = cells.map((r) => r.map(([c], i) => (width(c!) > widths[i]! ? wrapAnsi(c!, widths[i]!, { hard: true, trim: true }).split('\n') : [c!])));
  }
  const line = (parts: readonly string[]) =>
    parts
      .map((c, i) => (i === parts.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - width(c)))))
      .join(' '.repeat(GAP))
      .trimEnd();
  const lines = (row: (readonly string[])[]) => {
    const height = Math.max(...row.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line(row.map((c) => c[k] ?? '')));
  };
  const [head, ...body] = cells;
  return [...lines(head!), line(widths.map((w) => '-'.repeat(w))), ...body.flatMap(lines)].join('\n');
}

/**
 * Column widths that fit `total` columns: the wrappable columns share what the others leave,
 * the narrowest first (a column that needs less than its share leaves the rest to the others),
 * none below its minimum. When even the minimums are too wide, the table is as narrow as it can
 * be, and wider than the terminal.
 */
function fit(natural: readonly number[], minimum: readonly number[], wrap: readonly number[], total: number): number[] {
  const widths = [...natural];
  const sum = natural.reduce((a, b) => a + b, 0) + GAP * (natural.length - 1);
  if (sum <= total) return widths;
  const flexible = [...wrap].sort((a, b) => natural[a]! - natural[b]!);
  let left = total - (sum - flexible.reduce((a, i) => a + natural[i]!, 0)) - flexible.reduce((a, i) => a + minimum[i]!, 0);
  // Each wrappable column gets its minimum, then a share of what is left, up to its natural width.
  flexible.forEach((i, k) => {
    const extra = Math.min(natural[i]! - minimum[i]!, Math.max(0, Math.floor(left / (flexible.length - k))));
    widths[i] = minimum[i]! + extra;
    left -= extra;
  });
  return widths;
}
