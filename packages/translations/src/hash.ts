import { createHash } from 'node:crypto';

/**
 * The hash recorded for a translated string: the first 16 hex digits of the SHA-256 of the
 * English string. Enough to notice any change; the English itself is kept beside it for diffs.
 */
export function stringHash(english: string): string {
  return createHash('sha256').update(english, 'utf8').digest('hex').slice(0, 16);
}

/**
 * The hash recorded for a translated page: the git blob id of the English page file, so that
 * `git cat-file blob <hash>` gives back the English the page was translated from.
 */
export function pageHash(english: string | Buffer): string {
  const bytes = typeof english === 'string' ? Buffer.from(english, 'utf8') : english;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
