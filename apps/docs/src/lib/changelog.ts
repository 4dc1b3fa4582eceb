import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Where the Changelog page reads from: @regtrail/core's CHANGELOG.md once `changeset version`
 * has written one, else the pending changesets (.changeset/*.md but its README).
 */
export const changelogSource = existsSync(`${repoRoot}packages/core/CHANGELOG.md`)
  ? ({ kind: 'released', base: `${repoRoot}packages/core`, pattern: 'CHANGELOG.md' } as const)
  : ({ kind: 'pending', base: `${repoRoot}.changeset`, pattern: ['*.md', '!README.md'] } as const);

/** The line that starts a changeset's summary in another language: `<!-- zh-CN -->`. */
const LANGUAGE_MARKER = /<!--\s*([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]+)*)\s*-->/g;

/**
 * A changeset's rendered summary by language: what comes before the first language marker is
 * English; each `<!-- zh-CN -->` (as HTML, the way markdown keeps it) starts that language's part.
 */
export function changesetSummaries(html: string): Record<string, string> {
  const parts = html.split(LANGUAGE_MARKER);
  const out: Record<string, string> = { en: parts[0]!.trim() };
  for (let i = 1; i < parts.length; i += 2) out[parts[i]!] = parts[i + 1]!.trim();
  return out;
}
