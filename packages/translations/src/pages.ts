import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { TARGET_PAGE_DIR, shown, type Layout } from './layout.js';
import { pageHash } from './hash.js';
import { TranslationsInputError } from './strings.js';

/** The front matter field of a zh page that records the English it was translated from. */
export const SOURCE_HASH_FIELD = 'sourceHash';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

/** Page paths (relative to the pages folder, forward slashes) of the English and the zh pages. */
export function listPages(l: Layout): { english: string[]; target: string[] } {
  const walk = (dir: string, rel: string, out: string[]) => {
    if (!fs.existsSync(dir)) return out;
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (rel || d.name !== TARGET_PAGE_DIR) walk(path.join(dir, d.name), r, out);
      } else if (/\.mdx?$/.test(d.name)) out.push(r);
    }
    return out;
  };
  return { english: walk(l.pagesDir, '', []), target: walk(path.join(l.pagesDir, TARGET_PAGE_DIR), '', []) };
}

export const englishPageFile = (l: Layout, page: string) => path.join(l.pagesDir, page);
export const targetPageFile = (l: Layout, page: string) => path.join(l.pagesDir, TARGET_PAGE_DIR, page);

/** The recorded source hash in a page's front matter, or undefined when it has none. */
export function readPageSourceHash(l: Layout, file: string): string | undefined {
  const text = fs.readFileSync(file, 'utf8');
  const m = FRONT_MATTER.exec(text);
  if (!m) return undefined;
  let data: unknown;
  try {
    data = parse(m[1]!);
  } catch (err) {
    throw new TranslationsInputError(`${shown(l, file)}: front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const value = (data as Record<string, unknown> | null)?.[SOURCE_HASH_FIELD];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9a-f]{40}$/.test(value)) {
    throw new TranslationsInputError(`${shown(l, file)}: ${SOURCE_HASH_FIELD}: expected the 40-hex git blob id of the English page`);
  }
  return value;
}

/** Sets (or adds) the source hash line in a page's front matter, leaving the rest as written. */
export function writePageSourceHash(file: string, hash: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const line = `${SOURCE_HASH_FIELD}: ${hash}`;
  const m = FRONT_MATTER.exec(text);
  let out: string;
  if (!m) out = `---\n${line}\n---\n\n${text}`;
  else {
    const fm = m[1]!;
    const re = new RegExp(`^${SOURCE_HASH_FIELD}:.*$`, 'm');
    const next = re.test(fm) ? fm.replace(re, line) : `${fm}\n${line}`;
    out = text.replace(fm, () => next);
  }
  fs.writeFileSync(file, out);
}

/** The hash of an English page as it is now. */
export function currentPageHash(l: Layout, page: string): string {
  return pageHash(fs.readFileSync(englishPageFile(l, page)));
}

/**
 * The English page a hash stands for, from the git objects of the repository holding the root,
 * or undefined when git does not have it (a copy outside git, or a blob never committed).
 */
export function englishFromGit(l: Layout, hash: string): string | undefined {
  try {
    return execFileSync('git', ['cat-file', 'blob', hash], { cwd: l.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** When a file last changed: its last commit's date, or its modification time when git has no commit of it as it is. */
export function lastChanged(file: string): Date {
  try {
    const dirty = execFileSync('git', ['status', '--porcelain', '--', path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (!dirty.trim()) {
      const iso = execFileSync('git', ['log', '-1', '--format=%cI', '--', path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (iso) return new Date(iso);
    }
  } catch {
    // Not in a git work tree: fall back to the file's time.
  }
  return fs.statSync(file).mtime;
}
