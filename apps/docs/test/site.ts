import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type HTMLElement } from 'node-html-parser';

/** The built site the tests read: apps/docs/dist (turbo builds it before `test`). */
export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
export const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

if (!fs.existsSync(path.join(distDir, 'index.html'))) {
  throw new Error(`docs tests: ${distDir} has no built site; run \`npm run build\` first`);
}

/** The file a site path is served from: /events/ is dist/events/index.html. */
export function fileOf(sitePath: string): string {
  const clean = decodeURIComponent(sitePath.split(/[?#]/)[0]!);
  return path.join(distDir, clean.endsWith('/') ? `${clean}index.html` : clean);
}

// node-html-parser keeps <pre> as raw text by default; the CLI guide's <pre> must be parsed.
const PARSE_OPTIONS = { blockTextElements: { script: true, noscript: true, style: true } };

/** HTML text, parsed. */
export const parseHtml = (html: string): HTMLElement => parse(html, PARSE_OPTIONS);

/** A built page, parsed. */
export function page(sitePath: string): HTMLElement {
  return parseHtml(fs.readFileSync(fileOf(sitePath), 'utf8'));
}

/** Every file under dist, as paths relative to it. */
export function distFiles(dir = distDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(distDir, path.join(d.parentPath, d.name)));
}

/** Visible text with whitespace collapsed, as a reader (or a diff) sees it. */
export const textOf = (el: HTMLElement | null | undefined) => (el?.text ?? '').replace(/\s+/g, ' ').trim();

/** The site languages and their path prefixes, as the tests expect them. */
export const LANGS = [
  { lang: 'en', prefix: '' },
  { lang: 'zh-CN', prefix: '/zh-cn' },
] as const;

/**
 * The code of an Expressive Code block (Starlight's `Code`), as a reader copies it: one line per
 * `.ec-line` (an empty line holds a lone newline).
 */
export const codeText = (el: HTMLElement | null | undefined) =>
  (el?.querySelectorAll('.ec-line') ?? []).map((l) => l.text.replace(/\n$/, '')).join('\n');
