import { closestMatch } from 'leven';

/**
 * The candidate closest to a mistyped `text`, for a "did you mean …?" hint, or undefined when
 * none is close: at most one edit (Levenshtein distance) per three characters of the text, at
 * least one and at most three, so that a short word is not "corrected" into an unrelated one.
 * Case and surrounding spaces do not count. Candidates far longer or shorter than the text are
 * skipped without being compared, so a huge input costs nothing.
 */
export function closest(text: string, candidates: readonly string[]): string | undefined {
  const key = text.trim().toLowerCase();
  if (!key) return undefined;
  const maxDistance = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  return closestMatch(key, candidates, { maxDistance });
}
