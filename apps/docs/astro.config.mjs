// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { SITE_LOCALES, allTranslations } from './src/lib/locales.ts';
import { sidebar } from './src/lib/pages.ts';
import { uiStringsPlugin } from './src/lib/ui-strings.ts';
import remarkCjkBreaks from './src/lib/remark-cjk-breaks.ts';
import { fullIdRedirects } from './src/lib/routes.ts';
import { SITE_URL } from './src/lib/site.ts';

export default defineConfig({
  site: SITE_URL,
  // Pages are built as <path>/index.html and linked with a trailing slash; the preview server
  // also answers /events without one.
  trailingSlash: 'ignore',
  markdown: { remarkPlugins: [remarkCjkBreaks] },
  redirects: fullIdRedirects(),
  integrations: [
    starlight({
      title: allTranslations('docs:site.title'),
      defaultLocale: 'root',
      locales: Object.fromEntries(
        SITE_LOCALES.map((s) => [s.locale ?? 'root', { label: s.label, lang: s.lang }]),
      ),
      sidebar: sidebar(),
      lastUpdated: true,
      routeMiddleware: './src/route-data.ts',
      pagination: true,
      customCss: ['./src/styles/site.css'],
      components: {
        Search: './src/components/overrides/Search.astro',
        Banner: './src/components/overrides/Banner.astro',
        LastUpdated: './src/components/overrides/LastUpdated.astro',
      },
      plugins: [uiStringsPlugin()],
    }),
  ],
});
