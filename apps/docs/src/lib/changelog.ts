import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { partsByLanguage } from '@regtrail/translations';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Where the Changelog page reads from: @regtrail/core's CHANGELOG.md once `changeset version`
 * has written one, else the pending changesets (.changeset/*.md but its README).
 */
export const changelogSource = existsSync(`${repoRoot}packages/core/CHANGELOG.md`)
  ? ({ kind: 'released', base: `${repoRoot}packages/core`, pattern: 'CHANGELOG.md' } as const)
  : ({ kind: 'pending', base: `${repoRoot}.changeset`, pattern: ['*.md', '!README.md'] } as const);

/**
 * A changeset's rendered summary by language (`<!-- zh-CN -->` starts the Chinese; see
 * partsByLanguage in @regtrail/translations, which the translation status checks changesets with).
 */
export const changesetSummaries = partsByLanguage;
