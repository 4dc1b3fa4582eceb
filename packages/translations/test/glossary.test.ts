import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { layout } from '../src/layout.js';
import { checkTerms, readGlossary, translatedTexts, type TranslatedText } from '../src/glossary.js';
import { copyRepo, repoRoot } from './copy.js';

const l = layout(repoRoot);
const terms = readGlossary(l);
const texts = translatedTexts(l);
const sabotaged = (id: string, edit: (zh: string) => string): TranslatedText[] =>
  texts.map((t) => (t.id === id ? { ...t, zh: edit(t.zh) } : t));
const found = (list: TranslatedText[]) => checkTerms(terms, list).map((v) => `${v.id}: ${v.found} (${v.term} → ${v.use})`);

describe('the zh-CN term base', () => {
  it('has the terms the style guide fixes', () => {
    expect(Object.fromEntries(terms.map((t) => [t.en, t.renderings.join(' / ')]))).toEqual({
      image: '映像',
      namespace: '名称空间',
      'Vulnerability Advisor': '漏洞顾问程序',
      region: '区域',
      location: '位置',
      deprecated: '不推荐 / 不推荐使用',
      'exit code': '退出代码',
      'status code': '状态码',
      redact: '脱敏',
      secret: '机密信息',
      schema: '模式',
      pattern: '格式',
      global: '全局',
    });
  });

  it('reads every zh-CN string and page', () => {
    expect(texts.length).toBeGreaterThanOrEqual(223 + 4);
  });

  it('is kept by every zh-CN string and page', () => {
    expect(found(texts)).toEqual([]);
  });

  it('fails on a forbidden variant in a string', () => {
    expect(found(sabotaged('actions:image.push', (zh) => zh.replace('映像', '镜像')))).toEqual(['actions:image.push: 镜像 (image → 映像)']);
  });

  it('fails on a forbidden variant in a page', () => {
    expect(found(sabotaged('zh-cn/emitter.mdx', (zh) => zh.replace('退出代码', '退出码')))).toEqual(['zh-cn/emitter.mdx: 退出码 (exit code → 退出代码)']);
  });

  it('forbids a variant that is right elsewhere only where the English has the term', () => {
    // 模式 is "schema": wrong for docs:eventFields.pattern ("Pattern"), right in the event fields intro.
    expect(found(sabotaged('docs:eventFields.pattern', () => '模式'))).toEqual(['docs:eventFields.pattern: 模式 (pattern → 格式)']);
    expect(texts.find((t) => t.id === 'docs:eventFields.intro')!.zh).toContain('JSON 模式');
    // 编辑 is "edit" in the overview and "redact" in the emitter guide.
    expect(texts.find((t) => t.id === 'zh-cn/overview.mdx')!.zh).toContain('编辑');
    expect(found(sabotaged('zh-cn/emitter.mdx', (zh) => zh.replace('未脱敏', '未编辑')))).toEqual(['zh-cn/emitter.mdx: 编辑 (redact → 脱敏)']);
  });

  it('checks product names as they read in zh-CN, and not inside the rendering itself', () => {
    const va = 'actions:image-vulnerability-report.read';
    expect(texts.find((t) => t.id === va)!.zh).toContain('{{vulnerabilityAdvisor}}');
    expect(found(sabotaged(va, (zh) => zh.replace('{{vulnerabilityAdvisor}}', 'Vulnerability Advisor')))).toEqual([
      `${va}: Vulnerability Advisor (Vulnerability Advisor → 漏洞顾问程序)`,
    ]);
    expect(found(sabotaged(va, (zh) => zh.replace('{{vulnerabilityAdvisor}}', '漏洞顾问')))).toEqual([`${va}: 漏洞顾问 (Vulnerability Advisor → 漏洞顾问程序)`]);
  });

  it('leaves code spans, code blocks and ids alone', () => {
    const page = 'zh-cn/cli.mdx';
    expect(found(sabotaged(page, (zh) => `${zh}\n\n\`镜像\`\n\n\`\`\`sh\necho 命名空间\n\`\`\`\n`))).toEqual([]);
  });
});

describe('the term base file', () => {
  let copy: ReturnType<typeof copyRepo> | undefined;
  afterEach(() => copy?.remove());

  it('names the file, line and entry of a mistake', () => {
    copy = copyRepo();
    const file = path.join(copy.root, 'content/locales/glossary.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('    forbid: [地域]', '    forbid: 地域\n    where: nowhere'));
    const line = text.slice(0, text.indexOf('    forbid: [地域]')).split('\n').length + 1;
    expect(() => readGlossary(layout(copy!.root))).toThrow(`content/locales/glossary.yaml:${line}: terms[3].where: expected everywhere or source`);
  });
});
