import { getViteConfig } from 'astro/config';
import type { ViteUserConfig } from 'astro';
import type { InlineConfig } from 'vitest/node';

/**
 * Component tests: .astro components rendered by Astro's container API, compiled with the
 * site's own Vite configuration (the browser and page tests read the built site instead).
 * Astro has its own Vite, which vitest's `test` option does not extend, hence the type.
 */
const config: ViteUserConfig & { test: InlineConfig } = {
  test: {
    include: ['test/**/*.component.ts'],
    testTimeout: 60_000,
  },
};
export default getViteConfig(config);
