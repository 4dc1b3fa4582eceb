// Starlight route middleware: page titles that read well and OpenGraph locales as OpenGraph
// writes them. Starlight makes the rest of the head from `site` (canonical, hreflang alternates,
// og:url, sitemap link).
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import type { Language } from '@regtrail/core';
import { SITE_LOCALES, tFor } from './lib/locales';

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  const site = SITE_LOCALES.find((s) => s.lang === route.lang) ?? SITE_LOCALES[0]!;
  const t = tFor(site.lang as Language);
  const siteTitle = t('docs:site.title');
  const path = context.url.pathname.replace(site.locale ? `/${site.locale}` : '', '') || '/';
  let title: string | undefined;
  if (path === '/') title = `${siteTitle} — ${t('docs:site.tagline')}`;
  else if (/^\/events\/[^/]+\/$/.test(path)) title = `${route.entry.data.title} — ${t('docs:nav.events')} | ${siteTitle}`;
  for (const tag of route.head) {
    if (title && tag.tag === 'title') tag.content = title;
    if (title && tag.tag === 'meta' && tag.attrs?.property === 'og:title') tag.attrs.content = title;
    if (tag.tag === 'meta' && tag.attrs?.property === 'og:locale') tag.attrs.content = String(tag.attrs.content).replace('-', '_');
  }
  // The other languages of the page, for OpenGraph, and x-default (English) for search engines.
  for (const other of SITE_LOCALES.filter((s) => s.lang !== site.lang)) {
    route.head.push({ tag: 'meta', attrs: { property: 'og:locale:alternate', content: other.lang.replace('-', '_') }, content: '' });
  }
  const english = route.head.find((tag) => tag.tag === 'link' && tag.attrs?.rel === 'alternate' && tag.attrs.hreflang === 'en');
  if (english) route.head.push({ tag: 'link', attrs: { rel: 'alternate', hreflang: 'x-default', href: english.attrs!.href! }, content: '' });
});
