import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { createMarkdownProcessor } from '@astrojs/markdown-remark';
import { parse } from 'node-html-parser';
import { translator } from '@regtrail/core';
import { partsByLanguage } from '@regtrail/translations';
import ReleasedChangelog from '../src/components/ReleasedChangelog.astro';
import { changelogFiles, parseChangelog, type ChangeEntry, type PackageChangelog } from '../src/lib/changelog';
import { renderChangelog } from '../src/lib/changelog-loader';
import remarkCjkBreaks from '../src/lib/remark-cjk-breaks';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const text = (html: string) => parse(html).text.replace(/\s+/g, ' ').trim();

/**
 * A scratch monorepo released with the real `changeset version`: @regtrail/core and the CLI that
 * depends on it, two of this repository's changesets (both with a zh-CN summary, one with a list)
 * and one written in English only.
 */
let dir: string;
const CHANGESETS = ['region-rules', 'hardening-dates-regions'];
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-changelog-'));
  const write = (file: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), body);
  };
  write('package.json', JSON.stringify({ name: 'scratch', private: true, workspaces: ['packages/*'] }));
  write('packages/core/package.json', JSON.stringify({ name: '@regtrail/core', version: '0.0.0' }));
  write('packages/cli/package.json', JSON.stringify({ name: 'regtrail', version: '0.0.0', dependencies: { '@regtrail/core': '^0.0.0' } }));
  write('.changeset/config.json', fs.readFileSync(path.join(repoRoot, '.changeset/config.json'), 'utf8'));
  for (const c of CHANGESETS) write(`.changeset/${c}.md`, fs.readFileSync(path.join(repoRoot, `.changeset/${c}.md`), 'utf8'));
  write('.changeset/english-only.md', '---\n"@regtrail/core": patch\n---\n\nAn English-only change.\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'changesets');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: dir, stdio: 'ignore' });
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const changelogs = () => changelogFiles(dir).map((f) => parseChangelog(fs.readFileSync(f, 'utf8'), f));
const summaryOf = (name: string) => partsByLanguage(fs.readFileSync(path.join(repoRoot, `.changeset/${name}.md`), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, ''));
const words = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('a released CHANGELOG.md, taken apart by language', () => {
  it('finds every package\'s CHANGELOG.md, each version and release type', () => {
    const [cli, core] = changelogs() as [PackageChangelog, PackageChangelog];
    expect(core.name).toBe('@regtrail/core');
    expect(core.releases.map((r) => [r.version, r.groups.map((g) => g.type)])).toEqual([['0.1.0', ['minor', 'patch']]]);
    expect(cli.name).toBe('regtrail');
    expect(cli.releases.map((r) => r.version)).toEqual(['0.0.1']);
  });

  it('splits each entry at <!-- zh-CN -->: each language has the changeset\'s own summary, and nothing of the other', () => {
    const core = changelogs()[1]!;
    const changes = core.releases[0]!.groups.flatMap((g) => g.entries).filter((e): e is ChangeEntry => e.kind === 'change');
    expect(changes).toHaveLength(3);
    for (const e of changes) expect(e.commit).toMatch(/^[0-9a-f]{7}$/);
    for (const name of CHANGESETS) {
      const source = summaryOf(name);
      const entry = changes.find((e) => words(e.parts.en!).startsWith(words(source.en!).slice(0, 40)))!;
      expect(words(entry.parts.en!).replace(/\s/g, '')).toBe(words(source.en!).replace(/\s/g, ''));
      expect(words(entry.parts['zh-CN']!).replace(/\s/g, '')).toBe(words(source['zh-CN']!).replace(/\s/g, ''));
      expect(entry.parts.en).not.toContain('<!--');
    }
    expect(changes.find((e) => e.parts.en === 'An English-only change.')!.parts).toEqual({ en: 'An English-only change.' });
  });

  it('keeps "Updated dependencies" as one entry listing the packages', () => {
    const deps = changelogs()[0]!.releases[0]!.groups.flatMap((g) => g.entries).filter((e) => e.kind === 'dependencies');
    expect(deps).toHaveLength(1);
    expect(deps[0]).toMatchObject({ packages: ['@regtrail/core@0.1.0'] });
  });

  it('names the file and line of a line it cannot place', () => {
    expect(() => parseChangelog('# a\n\n## 1.0.0\n\nsome prose\n', 'packages/a/CHANGELOG.md')).toThrow('packages/a/CHANGELOG.md:5: unexpected line "some prose"');
    expect(() => parseChangelog('## 1.0.0\n', 'x.md')).toThrow('x.md: no "# <package name>" title');
  });
});

describe('the released changelog on the page', () => {
  async function rendered(lang: 'en' | 'zh-CN') {
    const md = await createMarkdownProcessor({ remarkPlugins: [remarkCjkBreaks] });
    const container = await AstroContainer.create();
    const out = [];
    for (const log of changelogs()) {
      const changelog = await renderChangelog(log, async (m) => (await md.render(m)).code);
      out.push(parse(await container.renderToString(ReleasedChangelog, { props: { changelog, lang } })));
    }
    return out;
  }

  it('shows a zh-CN reader only the Chinese of a translated entry, and says visibly when there is none', async () => {
    const [cli, core] = await rendered('zh-CN');
    const t = translator('zh-CN');
    const entries = core!.querySelectorAll('[data-release-entry]');
    expect(entries).toHaveLength(3);
    const translated = entries.filter((e) => e.getAttribute('data-translated') === 'yes');
    expect(translated).toHaveLength(2);
    for (const e of translated) {
      expect(e.text).toMatch(/[\u4e00-\u9fff]/);
      expect(e.text).not.toMatch(/Region rules|Fixes found|trailing slashes/);
      expect(e.querySelector('[lang="en"]')).toBeNull();
    }
    expect(text(translated.map((e) => e.outerHTML).join(''))).toContain('区域规则');
    // The list in a translated entry stays a list.
    expect(translated.some((e) => e.querySelectorAll('li').length >= 10)).toBe(true);
    const untranslated = entries.find((e) => e.getAttribute('data-translated') === 'no')!;
    expect(text(untranslated.querySelector('[data-fallback]')!.outerHTML)).toBe(t('docs:changelog.untranslated'));
    expect(text(untranslated.querySelector('[lang="en"]')!.outerHTML)).toBe('An English-only change.');
    expect(core!.querySelectorAll('h4').map((h) => h.text)).toEqual([t('docs:changelog.changes.minor'), t('docs:changelog.changes.patch')]);
    const deps = cli!.querySelector('[data-dependencies]')!;
    expect(text(deps.outerHTML)).toBe(`${t('docs:changelog.updatedDependencies')}：@regtrail/core@0.1.0`);
  });

  it('shows an English reader no Chinese and no fallback notice', async () => {
    const [cli, core] = await rendered('en');
    for (const page of [cli!, core!]) {
      expect(page.text).not.toMatch(/[\u4e00-\u9fff]/);
      expect(page.querySelector('[data-fallback]')).toBeNull();
    }
    expect(core!.querySelectorAll('[data-release-entry]').every((e) => e.getAttribute('data-translated') === 'yes')).toBe(true);
    expect(text(core!.outerHTML)).toContain('Region rules: every registry region');
    expect(core!.querySelectorAll('h4').map((h) => h.text)).toEqual(['Minor changes', 'Patch changes']);
  });
});
