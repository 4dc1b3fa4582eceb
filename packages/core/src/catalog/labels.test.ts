import { describe, expect, it } from 'vitest';
import { createI18n, deprecatedMark, describeAction, kindLabel, products, productsIn, severityLabel, statusLabel } from '../index.js';

describe('labels', () => {
  it('mark deprecated descriptions as the seed page does', () => {
    expect(deprecatedMark('zh-CN')).toBe('（不推荐）');
    expect(deprecatedMark('en')).toBe(' (Deprecated)');
  });
  it('name the kind, severity and status in each language', () => {
    expect(kindLabel(true, 'zh-CN')).toBe('数据事件');
    expect(kindLabel('unclassified', 'en')).toBe('Not classified');
    expect(severityLabel('critical', 'zh-CN')).toBe('严重');
    expect(statusLabel({ deprecated: '2020-02-26', removed: '2021-08-23' }, 'en')).toBe('Removed 2021-08-23');
    expect(statusLabel({}, 'en')).toBe('');
  });
});

describe('product names', () => {
  const va = 'container-registry.image-vulnerability-report.read' as const;

  it('use a language’s own name for a product that has one', () => {
    expect(describeAction(va, 'en')).toBe('Reads the Vulnerability Advisor report of one image.');
    expect(describeAction(va, 'zh-CN')).toContain('漏洞顾问程序');
    expect(describeAction(va, 'zh-CN')).not.toContain('Vulnerability Advisor');
    expect(createI18n('zh-CN').t('actions:image-vulnerability-report.read')).toBe(describeAction(va, 'zh-CN'));
    expect(productsIn('zh-CN').vulnerabilityAdvisor).toBe('漏洞顾问程序');
  });

  it('keep one name for the others, in every language', () => {
    expect(productsIn('zh-CN').registry).toBe('IBM Cloud Container Registry');
    expect(products.vulnerabilityAdvisor).toBe('Vulnerability Advisor');
    expect(describeAction('container-registry.image.push', 'zh-CN')).toBe('将映像推送到 IBM Cloud Container Registry。');
  });

  it('leave a variable that names no product as written', () => {
    expect(createI18n('en').t('no such {{thing}}', { defaultValue: 'no such {{thing}}' })).toBe('no such {{thing}}');
  });
});

describe('counts', () => {
  it.each([
    ['en', 1, 'The events table on this date (1 action listed)'],
    ['en', 2, 'The events table on this date (2 actions listed)'],
    ['en', 0, 'The events table on this date (0 actions listed)'],
    ['zh-CN', 1, '此日期的事件表（列出了 1 个操作）'],
    ['zh-CN', 23, '此日期的事件表（列出了 23 个操作）'],
  ] as const)('read naturally in %s for %i', (lng, count, text) => {
    expect(createI18n(lng).t('docs:history.tableOnDate', { count })).toBe(text);
  });
});
