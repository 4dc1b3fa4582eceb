import { describe, expect, it } from 'vitest';
import { deprecatedMark, kindLabel, severityLabel, statusLabel } from '../index.js';

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
