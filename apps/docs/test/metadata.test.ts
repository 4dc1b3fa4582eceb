import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allActions, translator } from '@regtrail/core';
import { lastUpdated } from '../src/lib/last-updated.js';
import { actionSlug } from '../src/lib/routes.js';
import { SITE_URL } from '../src/lib/site.js';
import { distFiles, fileOf, page } from './site.js';

/** Every page a reader or a search engine can reach: not the redirect stubs, not the 404 pages. */
const pages = distFiles()
  .filter((f) => f.endsWith('index.html'))
  .map((f) => `/${f.replace(/index\.html$/, '')}`)
  .filter((p) => !fs.readFileSync(fileOf(p), 'utf8').includes('http-equiv="refresh"'))
  .filter((p) => !/(^|\/)404\/$/.test(p));
const canonical = (p: string) => new URL(p, SITE_URL).href;

describe('metadata', () => {
  it('has pages to check', () => expect(pages.length).toBeGreaterThan(90));

  it('every page has its canonical URL and hreflang alternates that point back to it', () => {
    const problems: string[] = [];
    for (const p of pages) {
      const doc = page(p);
      if (doc.querySelector('link[rel="canonical"]')?.getAttribute('href') !== canonical(p)) problems.push(`${p}: canonical`);
      const alternates = doc.querySelectorAll('link[rel="alternate"][hreflang]').map((l) => [l.getAttribute('hreflang')!, l.getAttribute('href')!] as const);
      const langs = alternates.map(([l]) => l).sort();
      if (langs.join() !== 'en,x-default,zh-CN') problems.push(`${p}: hreflang ${langs.join()}`);
      if (!alternates.some(([, href]) => href === canonical(p))) problems.push(`${p}: not among its own alternates`);
      for (const [lang, href] of alternates) {
        const other = new URL(href).pathname;
        if (!pages.includes(other)) {
          problems.push(`${p}: ${lang} alternate ${other} is not a page`);
          continue;
        }
        const back = page(other).querySelectorAll('link[rel="alternate"][hreflang]').map((l) => l.getAttribute('href'));
        if (!back.includes(canonical(p))) problems.push(`${p}: ${other} does not link back`);
      }
      const og = Object.fromEntries(doc.querySelectorAll('meta[property^="og:"]').map((m) => [m.getAttribute('property')!, m.getAttribute('content')!]));
      for (const key of ['og:title', 'og:type', 'og:url', 'og:locale', 'og:description', 'og:site_name']) if (!og[key]) problems.push(`${p}: no ${key}`);
      if (og['og:url'] !== canonical(p)) problems.push(`${p}: og:url`);
    }
    expect(problems).toEqual([]);
  });

  it('the sitemap lists every page, and nothing else', () => {
    const index = fs.readFileSync(fileOf('/sitemap-index.xml'), 'utf8');
    const maps = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    const listed = maps.flatMap((m) => [...fs.readFileSync(fileOf(m), 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((x) => x[1]!));
    expect(listed.sort()).toEqual(pages.map(canonical).sort());
  });

  it.each([
    ['/events/image.push/', 'image.push — Events | regtrail'],
    ['/zh-cn/events/image.push/', `image.push — ${translator('zh-CN')('docs:nav.events')} | regtrail`],
    ['/events/', 'Events | regtrail'],
  ])('%s is titled %s', (p, title) => expect(page(p).querySelector('title')!.text).toBe(title));

  it('the home page is titled by what the site is, not "regtrail | regtrail"', () => {
    for (const p of ['/', '/zh-cn/']) {
      const title = page(p).querySelector('title')!.text;
      expect(title).not.toBe('regtrail | regtrail');
      expect(title).toMatch(/^regtrail — ./);
    }
  });

  it('every action page has a title of its short id and the events page', () => {
    for (const action of allActions()) expect(page(`/events/${actionSlug(action.id)}/`).querySelector('title')!.text).toBe(`${actionSlug(action.id)} — Events | regtrail`);
  });

  it.each([
    ['/events/', 'events'],
    ['/zh-cn/regions/', 'regions'],
    ['/history/', 'history'],
    ['/event-fields/', 'eventFields'],
    ['/events/image.push/', 'action'],
  ] as const)('%s says when its sources last changed (git)', (p, key) => {
    const time = page(p).querySelector('.meta time, footer time')?.getAttribute('datetime');
    const expected = lastUpdated(key);
    expect(expected).toBeInstanceOf(Date);
    expect(time).toBe(expected!.toISOString());
  });
});
