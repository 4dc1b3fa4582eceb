import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allActions, serviceId } from '@regtrail/core';
import { distDir, distFiles, parseHtml as parse } from './site.js';

const allHtml = distFiles().filter((f) => f.endsWith('.html'));
/** Redirect stubs (the full-id URLs of action pages) are not pages: no picker, no sitemap entry. */
const isRedirect = (f: string) => fs.readFileSync(path.join(distDir, f), 'utf8').includes('http-equiv="refresh"');
const htmlFiles = allHtml.filter((f) => !isRedirect(f));
/** The site path a built file is served at: events/index.html is /events/. */
const sitePathOf = (file: string) => `/${file.replace(/(^|\/)index\.html$/, '$1')}`;

/** The file an internal URL resolves to, or undefined when nothing in dist serves it. */
function target(pathname: string): string | undefined {
  const base = path.join(distDir, decodeURIComponent(pathname));
  const candidates = pathname.endsWith('/') ? [path.join(base, 'index.html')] : [base, path.join(base, 'index.html'), `${base}.html`];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

const ids = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  if (!ids.has(file)) {
    const doc = parse(fs.readFileSync(file, 'utf8'));
    ids.set(file, new Set(doc.querySelectorAll('[id]').map((e) => e.getAttribute('id')!)));
  }
  return ids.get(file)!;
}

describe('the built site', () => {
  it('has pages to check', () => expect(htmlFiles.length).toBeGreaterThan(90));

  it('has no broken internal links (files and #fragments)', () => {
    const broken: string[] = [];
    for (const file of htmlFiles) {
      const pageUrl = new URL(sitePathOf(file), 'http://site.invalid');
      const doc = parse(fs.readFileSync(path.join(distDir, file), 'utf8'));
      for (const el of doc.querySelectorAll('[href], [src]')) {
        for (const attr of ['href', 'src']) {
          const raw = el.getAttribute(attr);
          if (raw === undefined || raw === '' || /^(data|mailto|javascript):/.test(raw)) continue;
          const url = new URL(raw, pageUrl);
          if (url.origin !== pageUrl.origin) continue; // external
          const found = target(url.pathname);
          if (!found) {
            broken.push(`${file}: ${attr}="${raw}" (no file for ${url.pathname})`);
            continue;
          }
          const fragment = decodeURIComponent(url.hash.slice(1));
          // Starlight's "_top" is the page's own top; any other fragment must be an element id.
          if (fragment && fragment !== '_top' && found.endsWith('.html') && !idsOf(found).has(fragment)) {
            broken.push(`${file}: ${attr}="${raw}" (no id "${fragment}" in ${path.relative(distDir, found)})`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('redirects the full-id URL of every action page to its short one', () => {
    const redirects = allHtml.filter(isRedirect);
    expect(redirects.length).toBe(allActions().length * 2);
    for (const action of allActions()) {
      for (const prefix of ['', '/zh-cn']) {
        const stub = parse(fs.readFileSync(path.join(distDir, `${prefix.slice(1)}${prefix ? '/' : ''}events/${action.id}/index.html`), 'utf8'));
        const short = `${prefix}/events/${action.id.slice(serviceId.length + 1)}/`;
        expect(stub.querySelector('meta[http-equiv="refresh"]')!.getAttribute('content')).toBe(`0;url=${short}`);
        expect(new URL(stub.querySelector('link[rel="canonical"]')!.getAttribute('href')!, 'https://site.invalid').pathname).toBe(short);
      }
    }
  });

  it('offers the language picker on every page', () => {
    const without = htmlFiles.filter((f) => !fs.readFileSync(path.join(distDir, f), 'utf8').includes('<starlight-lang-select'));
    expect(without).toEqual([]);
  });
});
