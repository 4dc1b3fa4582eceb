import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { changelogSource } from './lib/changelog';

export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    // A translated page records the English it was translated from (npm run translations).
    schema: docsSchema({ extend: z.object({ sourceHash: z.string().optional() }) }),
  }),
  // Read at build time from the repository, see lib/changelog.ts.
  changelog: defineCollection({
    loader: glob({ pattern: changelogSource.pattern as string | string[], base: changelogSource.base }),
    // A changeset's frontmatter maps package names to release types; CHANGELOG.md has none.
    schema: z.record(z.string(), z.enum(['major', 'minor', 'patch', 'none'])),
  }),
};
