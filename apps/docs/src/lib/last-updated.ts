import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The content/ files a generated page is made from, by page: its "last updated" date is that of
 * the last commit that touched any of them (git log), the same way Starlight dates the MDX pages.
 */
export const PAGE_SOURCES = {
  events: ['content/catalog/actions.yaml', 'content/catalog/groups.yaml', 'content/locales'],
  action: ['content/catalog/actions.yaml', 'content/catalog/event.yaml', 'content/locales'],
  history: ['content/catalog/actions.yaml', 'content/locales'],
  regions: ['content/catalog/regions.yaml', 'content/locales'],
  eventFields: ['content/catalog/event.yaml', 'content/locales'],
  changelog: ['.changeset', ':(glob)packages/*/CHANGELOG.md'],
} as const;

const known = new Map<string, Date | undefined>();

/** The date of the last commit touching a page's sources; undefined outside a git checkout. */
export function lastUpdated(page: keyof typeof PAGE_SOURCES): Date | undefined {
  if (!known.has(page)) {
    let date: Date | undefined;
    try {
      const out = execFileSync('git', ['log', '-1', '--format=%cI', '--', ...PAGE_SOURCES[page]], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      date = out ? new Date(out) : undefined;
    } catch {
      date = undefined;
    }
    known.set(page, date);
  }
  return known.get(page);
}
