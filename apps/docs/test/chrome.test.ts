import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { translator } from '@regtrail/core';
import { changelogFiles } from '../src/lib/changelog.js';
import { PAGES } from '../src/lib/pages.js';
import { LANGS, page, textOf } from './site.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe.each(LANGS)('$lang navigation', ({ lang, prefix }) => {
  it('sidebar lists the site pages, labelled in the language, linked within it', () => {
    const links = page(`${prefix}/events/`).querySelectorAll('nav.sidebar a');
    const t = translator(lang);
    expect(links.map((a) => [textOf(a), a.getAttribute('href')])).toEqual(
      PAGES.map((p) => [t(`docs:nav.${p.key}`), `${prefix}${p.link}`]),
    );
  });

  it('language picker offers both languages', () => {
    const options = page(`${prefix}/history/`).querySelector('starlight-lang-select select')!.querySelectorAll('option');
    expect(options.map((o) => textOf(o))).toEqual(['English', '简体中文']);
  });
});

describe('Changelog page', () => {
  it('shows the pending changesets while no package has a CHANGELOG.md', () => {
    if (changelogFiles().length > 0) return;
    const pending = fs.readdirSync(path.join(repoRoot, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    for (const { prefix } of LANGS) {
      const shown = page(`${prefix}/changelog/`).querySelectorAll('[data-changeset]').map((a) => a.getAttribute('data-changeset'));
      expect(shown.sort()).toEqual(pending.map((f) => f.replace(/\.md$/, '')).sort());
    }
  });
});
