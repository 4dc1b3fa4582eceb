import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distDir, distFiles, parseHtml as parse } from './site.js';

const htmlFiles = distFiles().filter((f) => f.endsWith('.html'));
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

  it('offers the language picker on every page', () => {
    const without = htmlFiles.filter((f) => !fs.readFileSync(path.join(distDir, f), 'utf8').includes('<starlight-lang-select'));
    expect(without).toEqual([]);
  });
});
