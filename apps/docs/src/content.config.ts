import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { releasedChangelogLoader } from './lib/changelog-loader';

const repoRoot = new URL('../../../', import.meta.url);

export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    // A translated page records the English it was translated from (npm run translations).
    schema: docsSchema({ extend: z.object({ sourceHash: z.string().optional() }) }),
  }),
  // The pending changesets (.changeset/*.md but its README): frontmatter maps package names to
  // release types; the summary carries each language after its marker (lib/changelog.ts).
  changelog: defineCollection({
    loader: glob({ pattern: ['*.md', '!README.md'], base: new URL('.changeset/', repoRoot) }),
    schema: z.record(z.string(), z.enum(['major', 'minor', 'patch', 'none'])),
  }),
  // The released changelogs, packages/*/CHANGELOG.md, split by language (lib/changelog-loader.ts).
  releases: defineCollection({ loader: releasedChangelogLoader() }),
};
