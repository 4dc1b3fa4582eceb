import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_CODES } from 'node:http';
import { STATUS_SEVERITY, translator } from '@regtrail/core';
import { changelogFiles, changesetSummaries } from '../src/lib/changelog.js';
import remarkCjkBreaks from '../src/lib/remark-cjk-breaks.js';
import { starlightUiStrings } from '../src/lib/ui-strings.js';
import { starlightEnglish } from './starlight-english.js';
import { LANGS, distFiles, fileOf, page, textOf } from './site.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe("Starlight's UI strings (content/locales/*/docs.json, ui)", () => {
  const ours = starlightUiStrings();

  it("English is Starlight's own English dictionary, key for key (a new Starlight string must be added and translated)", () => {
    expect(ours.en).toEqual(starlightEnglish());
  });

  it('zh-CN has every key, none left in English (but Ctrl)', () => {
    const en = starlightEnglish();
    expect(Object.keys(ours['zh-CN']!).sort()).toEqual(Object.keys(en).sort());
    const english = Object.entries(ours['zh-CN']!).filter(([k, v]) => v === en[k] && k !== 'search.ctrlKey');
    expect(english).toEqual([]);
  });

  it("Starlight's own variables reach it as {{title}}; Pagefind's stay [SEARCH_TERM]", () => {
    expect(ours['zh-CN']!['heading.anchorLabel']).toContain('{{title}}');
    expect(ours['zh-CN']!['pagefind.many_results']).toContain('[SEARCH_TERM]');
  });
});

describe('the CJK line-break remark plugin', () => {
  type N = { type: string; value?: string; children?: N[] };
  const run = (children: N[]) => {
    const tree: N = { type: 'root', children: [{ type: 'paragraph', children }] };
    remarkCjkBreaks()(tree);
    const flat = (n: N): string => n.value ?? (n.children ?? []).map(flat).join('');
    return flat(tree);
  };
  it.each([
    ['a break between two Chinese characters goes', [{ type: 'text', value: '格式回答相同的问题\n请参阅' }], '格式回答相同的问题请参阅'],
    ['a break after full-width punctuation goes', [{ type: 'text', value: '问题。\n  请参阅' }], '问题。请参阅'],
    ['across nodes: before inline code', [{ type: 'text', value: '本站点、\n' }, { type: 'inlineCode', value: '@regtrail/core' }], '本站点、@regtrail/core'],
    ['a space after bold ending in 。', [{ type: 'strong', children: [{ type: 'text', value: '使用 CLI。' }] }, { type: 'text', value: ' ' }, { type: 'inlineCode', value: 'x' }], '使用 CLI。x'],
    ['a break between Chinese and Latin stays', [{ type: 'text', value: '来自\nCLI' }], '来自\nCLI'],
    ['English is untouched', [{ type: 'text', value: 'one\ntwo,  three' }], 'one\ntwo,  three'],
  ] as [string, N[], string][])('%s', (_name, children, expected) => expect(run(children)).toBe(expected));
});

describe('zh-CN pages', () => {
  const zhPages = distFiles().filter((f) => f.startsWith('zh-cn/') && f.endsWith('.html'));

  it('carry the zh-CN heading anchor label and copy button text, never the English', () => {
    const en = starlightEnglish();
    const bad: string[] = [];
    for (const file of zhPages) {
      const html = fs.readFileSync(fileOf(`/${file}`), 'utf8');
      for (const key of ['heading.anchorLabel', 'expressiveCode.copyButtonTooltip', 'expressiveCode.copyButtonCopied'] as const) {
        const fixed = en[key]!.split(/\{\{\w+\}\}/)[0]!;
        if (html.includes(fixed)) bad.push(`${file}: ${fixed}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('have a zh-CN 404 page, in zh-CN, with its 404 text', () => {
    const doc = page('/zh-cn/404/');
    expect(doc.querySelector('html')!.getAttribute('lang')).toBe('zh-CN');
    expect(textOf(doc.querySelector('main'))).toContain(starlightUiStrings()['zh-CN']!['404.text']!);
  });

  // CJK characters and full-width punctuation; a space between two of them, or after full-width
  // punctuation, is a source line break rendered as a space.
  const STRAY = /[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]\s+[\u4e00-\u9fff]|[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]\s/u;
  it.each(['/zh-cn/', '/zh-cn/overview/', '/zh-cn/emitter/', '/zh-cn/cli/'])('%s: zh prose has no stray spaces from line breaks', (p) => {
    const paragraphs = page(p).querySelectorAll('main p, main li').map((el) => {
      // Code stands for Latin text: 、`core` is fine, 、 `core` is not.
      for (const block of el.querySelectorAll('pre, .expressive-code')) block.remove();
      for (const code of el.querySelectorAll('code')) code.replaceWith('x');
      return el.text.trim();
    });
    expect(paragraphs.filter((t) => STRAY.test(t))).toEqual([]);
  });
});

describe.each(LANGS)('$lang punctuation and status texts', ({ lang, prefix }) => {
  const t = translator(lang);
  const half = /[^\s]: |, (?=<)|\((?=<code)/;

  it('status texts come from the locale files (English as Node.js has them)', () => {
    const rows = page(`${prefix}/event-fields/`).querySelectorAll('table[data-status-severity-table] tbody tr');
    expect(rows.length).toBe(Object.keys(STATUS_SEVERITY).length);
    for (const row of rows) {
      const code = row.getAttribute('data-status')!;
      expect(textOf(row.querySelector('[data-status-text]'))).toBe(t(`docs:httpStatus.${code}`));
      if (lang === 'en') expect(t(`docs:httpStatus.${code}`)).toBe(STATUS_CODES[Number(code)]);
    }
  });

  it.runIf(lang === 'zh-CN')('zh-CN pages use full-width separators around labels and lists', () => {
    const samples = [
      page('/zh-cn/history/').querySelector('[data-change]')!.innerHTML,
      page('/zh-cn/event-fields/').querySelector('[data-constraint]')!.innerHTML,
      page('/zh-cn/regions/').querySelector('[data-location-edition] h3')!.innerHTML,
      page('/zh-cn/cli/').querySelector('[data-exit-code="2"] p')!.innerHTML,
    ];
    expect(samples.filter((s) => half.test(s))).toEqual([]);
    expect(textOf(page('/zh-cn/history/').querySelector('[data-change]'))).toMatch(/：/);
  });
});

describe('changelog in both languages', () => {
  it('splits a changeset summary at its language markers', () => {
    expect(changesetSummaries('<p>One</p>\n<!-- zh-CN -->\n<p>一</p>')).toEqual({ en: '<p>One</p>', 'zh-CN': '<p>一</p>' });
    expect(changesetSummaries('<p>One</p>')).toEqual({ en: '<p>One</p>' });
    // An empty part is no summary: the page falls back visibly rather than show nothing.
    expect(changesetSummaries('<p>One</p>\n<!-- zh-CN -->\n')).toEqual({ en: '<p>One</p>' });
  });

  it('zh-CN shows each entry in Chinese, or says visibly that it has none and marks the English', () => {
    if (changelogFiles().length > 0) return;
    const entries = page('/zh-cn/changelog/').querySelectorAll('[data-changeset]');
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const source = fs.readFileSync(path.join(repoRoot, '.changeset', `${entry.getAttribute('data-changeset')}.md`), 'utf8');
      const hasZh = source.includes('<!-- zh-CN -->');
      expect(entry.getAttribute('data-translated')).toBe(hasZh ? 'yes' : 'no');
      if (!hasZh) {
        expect(textOf(entry.querySelector('[data-fallback]'))).toBe(translator('zh-CN')('docs:changelog.untranslated'));
        expect(entry.querySelector('[lang="en"]')).not.toBeNull();
      }
    }
    expect(entries.some((e) => e.getAttribute('data-translated') === 'yes')).toBe(true);
  });

  it('English never shows the Chinese summary', () => {
    for (const entry of page('/changelog/').querySelectorAll('[data-changeset]')) {
      const source = fs.readFileSync(path.join(repoRoot, '.changeset', `${entry.getAttribute('data-changeset')}.md`), 'utf8');
      const zh = source.split('<!-- zh-CN -->')[1]?.trim().split('\n')[0];
      if (zh) expect(entry.text).not.toContain(zh.slice(0, 12));
    }
  });
});
