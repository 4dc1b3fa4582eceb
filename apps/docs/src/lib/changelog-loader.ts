import fs from 'node:fs';
import path from 'node:path';
import type { Loader } from 'astro/loaders';
import { z } from 'astro/zod';
import { changelogFiles, parseChangelog, type PackageChangelog } from './changelog';

/** A released changelog with each change's summary rendered to HTML, by language. */
export const releasedSchema = z.object({
  name: z.string(),
  releases: z.array(
    z.object({
      version: z.string(),
      groups: z.array(
        z.object({
          type: z.enum(['major', 'minor', 'patch']),
          entries: z.array(
            z.discriminatedUnion('kind', [
              z.object({ kind: z.literal('change'), commit: z.string().optional(), html: z.record(z.string(), z.string()) }),
              z.object({ kind: z.literal('dependencies'), commits: z.array(z.string()), packages: z.array(z.string()) }),
            ]),
          ),
        }),
      ),
    }),
  ),
});
export type ReleasedChangelog = z.infer<typeof releasedSchema>;

/**
 * Turns a parsed changelog into what the page shows: each language's part of each change
 * rendered with `render` (the site's own markdown pipeline at build time).
 */
export async function renderChangelog(log: PackageChangelog, render: (markdown: string) => Promise<string>): Promise<ReleasedChangelog> {
  return {
    name: log.name,
    releases: await Promise.all(
      log.releases.map(async (r) => ({
        version: r.version,
        groups: await Promise.all(
          r.groups.map(async (g) => ({
            type: g.type,
            entries: await Promise.all(
              g.entries.map(async (e) =>
                e.kind === 'dependencies'
                  ? { ...e, commits: [...e.commits], packages: [...e.packages] }
                  : {
                      kind: 'change' as const,
                      ...(e.commit ? { commit: e.commit } : {}),
                      html: Object.fromEntries(await Promise.all(Object.entries(e.parts).map(async ([lng, md]) => [lng, await render(md)] as const))),
                    },
              ),
            ),
          })),
        ),
      })),
    ),
  };
}

/**
 * The `releases` collection: one entry per packages/<dir>/CHANGELOG.md (none before the first
 * `changeset version`), split by language (lib/changelog.ts).
 */
export function releasedChangelogLoader(root?: string): Loader {
  return {
    name: 'regtrail-released-changelog',
    schema: releasedSchema,
    load: async ({ store, renderMarkdown, parseData }) => {
      store.clear();
      for (const file of changelogFiles(root)) {
        const shown = path.relative(process.cwd(), file);
        const log = parseChangelog(fs.readFileSync(file, 'utf8'), shown);
        const data = await renderChangelog(log, async (md) => (await renderMarkdown(md)).html);
        store.set({ id: log.name, data: await parseData({ id: log.name, data }) });
      }
    },
  };
}
