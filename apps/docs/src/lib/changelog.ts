import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { partsByLanguage } from '@regtrail/translations';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * A changeset's rendered summary by language (`<!-- zh-CN -->` starts the Chinese; see
 * partsByLanguage in @regtrail/translations, which the translation status checks changesets with).
 */
export const changesetSummaries = partsByLanguage;

/** The released changelogs: packages/<dir>/CHANGELOG.md, as `changeset version` writes them. */
export function changelogFiles(root = repoRoot): string[] {
  const packages = path.join(root, 'packages');
  if (!fs.existsSync(packages)) return [];
  return fs
    .readdirSync(packages)
    .sort()
    .map((dir) => path.join(packages, dir, 'CHANGELOG.md'))
    .filter((file) => fs.existsSync(file));
}

export type ReleaseType = 'major' | 'minor' | 'patch';

/** One change of a release: a changeset's summary, by language (markdown). */
export interface ChangeEntry {
  readonly kind: 'change';
  /** The short commit that added the changeset, when `changeset version` found one. */
  readonly commit?: string;
  /** English, and each other language the changeset had a summary in. */
  readonly parts: Readonly<Record<string, string>>;
}

/** The "Updated dependencies" lines changesets writes for a dependent package. */
export interface DependenciesEntry {
  readonly kind: 'dependencies';
  readonly commits: readonly string[];
  /** `name@version` of each dependency released with it. */
  readonly packages: readonly string[];
}

export interface Release {
  readonly version: string;
  readonly groups: readonly { readonly type: ReleaseType; readonly entries: readonly (ChangeEntry | DependenciesEntry)[] }[];
}

export interface PackageChangelog {
  readonly name: string;
  readonly releases: readonly Release[];
}

const TYPES: Record<string, ReleaseType> = { Major: 'major', Minor: 'minor', Patch: 'patch' };
const COMMIT = /^([0-9a-f]{7,40}): /;
const DEPENDENCIES = /^Updated dependencies(?: \[([0-9a-f, ]+)\])?:?$/;

/**
 * A CHANGELOG.md as @changesets/cli's default changelog writes it, taken apart:
 * `# name`, `## version`, `### Minor Changes`, then one `- ` item per changeset (continuation lines
 * indented by two spaces) whose summary splits at `<!-- zh-CN -->` into its languages, so that a
 * page shows each reader only their own. Lines outside that shape are kept with the entry or
 * release they follow; nothing is dropped silently: an unexpected top-level line is an error.
 */
export function parseChangelog(markdown: string, file = 'CHANGELOG.md'): PackageChangelog {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let name: string | undefined;
  const releases: { version: string; groups: { type: ReleaseType; items: string[][] }[] }[] = [];
  let item: string[] | undefined;
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    let m: RegExpExecArray | null;
    if ((m = /^# (.+)$/.exec(line))) {
      if (name !== undefined) throw new Error(`${where}: a second package title ${JSON.stringify(line)}`);
      name = m[1]!.trim();
      item = undefined;
    } else if ((m = /^## (.+)$/.exec(line))) {
      releases.push({ version: m[1]!.trim(), groups: [] });
      item = undefined;
    } else if ((m = /^### (Major|Minor|Patch) Changes$/.exec(line))) {
      const release = releases.at(-1);
      if (!release) throw new Error(`${where}: ${JSON.stringify(line)} before any "## <version>"`);
      release.groups.push({ type: TYPES[m[1]!]!, items: [] });
      item = undefined;
    } else if (line.startsWith('- ')) {
      const group = releases.at(-1)?.groups.at(-1);
      if (!group) throw new Error(`${where}: an entry before any "### … Changes" heading`);
      item = [line.slice(2)];
      group.items.push(item);
    } else if (item && (line.startsWith('  ') || line.trim() === '')) {
      item.push(line.slice(2));
    } else if (line.trim() !== '') {
      throw new Error(`${where}: unexpected line ${JSON.stringify(line.slice(0, 60))}; expected "## <version>", "### … Changes" or "- <entry>"`);
    }
  });
  if (name === undefined) throw new Error(`${file}: no "# <package name>" title`);
  return {
    name,
    releases: releases.map((r) => ({
      version: r.version,
      groups: r.groups.map((g) => ({ type: g.type, entries: entriesOf(g.items) })),
    })),
  };
}

function entriesOf(items: readonly string[][]): (ChangeEntry | DependenciesEntry)[] {
  const out: (ChangeEntry | DependenciesEntry)[] = [];
  for (const lines of items) {
    const text = lines.join('\n').trim();
    const [first, ...rest] = text.split('\n');
    const dep = DEPENDENCIES.exec(first!.trim());
    if (dep) {
      // Consecutive "Updated dependencies [abc]" lines, the last one with the list, make one entry.
      const prev = out.at(-1);
      const commits = dep[1] ? dep[1].split(/[, ]+/).filter(Boolean) : [];
      const packages = rest.map((l) => l.trim().replace(/^- /, '')).filter(Boolean);
      if (prev?.kind === 'dependencies') out[out.length - 1] = { kind: 'dependencies', commits: [...prev.commits, ...commits], packages: [...prev.packages, ...packages] };
      else out.push({ kind: 'dependencies', commits, packages });
      continue;
    }
    const commit = COMMIT.exec(text)?.[1];
    out.push({ kind: 'change', ...(commit ? { commit } : {}), parts: partsByLanguage(commit ? text.slice(commit.length + 2) : text) });
  }
  return out;
}
