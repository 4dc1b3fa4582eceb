import fs from 'node:fs';
import path from 'node:path';
import { SOURCE_LANGUAGE, type Layout } from './layout.js';

/**
 * The line that starts a text's part in another language: `<!-- zh-CN -->`. A changeset carries
 * its summary in Chinese after one (.changeset/README.md), and `changeset version` copies it into
 * CHANGELOG.md inside the entry.
 */
const LANGUAGE_MARKER = /<!--\s*([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]+)*)\s*-->/g;
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---(?:\r?\n|$)/;

/**
 * A text by language: what comes before the first language marker is English; each
 * `<!-- zh-CN -->` starts that language's part. Works on markdown and on the HTML it renders to
 * (markdown keeps the comment). A language whose part is empty is left out.
 */
export function partsByLanguage(text: string): Record<string, string> {
  const parts = text.split(LANGUAGE_MARKER);
  const out: Record<string, string> = { [SOURCE_LANGUAGE]: parts[0]!.trim() };
  for (let i = 1; i < parts.length; i += 2) {
    const part = parts[i + 1]!.trim();
    if (part) out[parts[i]!] = part;
  }
  return out;
}

/** The pending changesets (.changeset/*.md but its README), by name, sorted. */
export function listChangesets(l: Layout): string[] {
  if (!fs.existsSync(l.changesetDir)) return [];
  return fs
    .readdirSync(l.changesetDir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => f.slice(0, -3))
    .sort();
}

export const changesetFile = (l: Layout, name: string) => path.join(l.changesetDir, `${name}.md`);

/** The languages a changeset has a summary in (its front matter aside). */
export function changesetLanguages(l: Layout, name: string): string[] {
  const text = fs.readFileSync(changesetFile(l, name), 'utf8').replace(FRONT_MATTER, '');
  return Object.keys(partsByLanguage(text));
}
