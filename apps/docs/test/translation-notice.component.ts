import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { parse } from 'node-html-parser';
import Banner from '../src/components/overrides/Banner.astro';
import { longDate } from '../src/lib/dates';

const docsDir = fileURLToPath(new URL('../src/content/docs/', import.meta.url));
const sourceHashOf = (file: string) => /^sourceHash: ([0-9a-f]{40})$/m.exec(fs.readFileSync(file, 'utf8'))![1]!;

/**
 * A copy of the English and zh CLI guides outside git, as a branch would have them: the zh page
 * records the English it was translated from in its front matter.
 */
let dir: string;
let zhFile: string;
let enFile: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-notice-'));
  fs.mkdirSync(path.join(dir, 'zh-cn'));
  enFile = path.join(dir, 'cli.mdx');
  zhFile = path.join(dir, 'zh-cn', 'cli.mdx');
  fs.copyFileSync(path.join(docsDir, 'cli.mdx'), enFile);
  fs.copyFileSync(path.join(docsDir, 'zh-cn', 'cli.mdx'), zhFile);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The page's banner area as Starlight renders it for a page. */
async function banner(lang: 'en' | 'zh-CN', file: string, sourceHash: string | undefined) {
  const container = await AstroContainer.create();
  const id = lang === 'en' ? 'cli' : 'zh-cn/cli';
  // Only what the banner reads of Starlight's route data.
  const starlightRoute = { lang, entry: { id, filePath: file, data: { sourceHash } } };
  const html = await container.renderToString(Banner, { locals: { starlightRoute } as unknown as App.Locals });
  return parse(html).querySelector('[data-translation-stale]');
}

describe('the notice on a translated page', () => {
  it('says when the English changed, in the page’s language, and links to the English page', async () => {
    fs.writeFileSync(enFile, fs.readFileSync(enFile, 'utf8').replace('## ', '## Fully '));
    fs.utimesSync(enFile, new Date('2019-06-21T12:00:00Z'), new Date('2019-06-21T12:00:00Z'));
    const notice = await banner('zh-CN', zhFile, sourceHashOf(zhFile));
    expect(notice).not.toBeNull();
    expect(notice!.text.replace(/\s+/g, ' ')).toContain('本页的英文原文已于 2019年6月21日 更改，此译文可能已过时。');
    expect(notice!.text).toContain('此译文可能已过时');
    const link = notice!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('/cli/');
    expect(link.text).toBe('阅读英文页面');
  });

  it('is not shown while the English is what the page was translated from', async () => {
    expect(await banner('zh-CN', zhFile, sourceHashOf(zhFile))).toBeNull();
  });

  it('is not shown on a page that records no source, nor on an English page', async () => {
    fs.writeFileSync(enFile, 'changed');
    expect(await banner('zh-CN', zhFile, undefined)).toBeNull();
    expect(await banner('en', enFile, sourceHashOf(zhFile))).toBeNull();
  });
});

describe('dates in prose', () => {
  it('use the language’s long form', () => {
    expect(longDate(new Date('2019-06-21'), 'en')).toBe('June 21, 2019');
    expect(longDate(new Date('2019-06-21'), 'zh-CN')).toBe('2019年6月21日');
    expect(longDate('2021-03-01', 'en')).toBe('March 1, 2021');
  });
});
