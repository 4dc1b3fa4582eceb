import { describe, expect, it } from 'vitest';
import { languages, resources } from '../index.js';
import { flattenResources, interpolationVariables } from '../entry/internal.js';

const en = resources.en as Record<string, unknown>;
const zh = resources['zh-CN'] as Record<string, unknown>;
const flat = (res: Record<string, unknown>) =>
  new Map(Object.entries(res).flatMap(([ns, keys]) => [...flattenResources(keys)].map(([k, v]) => [`${ns}:${k}`, v] as const)));

describe('translations', () => {
  const enKeys = flat(en);
  const zhKeys = flat(zh);

  it('come in exactly en and zh-CN', () => expect([...languages]).toEqual(['en', 'zh-CN']));
  it('every en key exists in zh-CN', () => expect([...enKeys.keys()].filter((k) => !zhKeys.has(k))).toEqual([]));
  it('every zh-CN key exists in en', () => expect([...zhKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]));
  it('no string is empty', () => {
    expect([...enKeys, ...zhKeys].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
  });
  it.each([...enKeys.keys()])('%s interpolates the same variables in both languages', (key) => {
    expect(interpolationVariables(zhKeys.get(key) ?? '')).toEqual(interpolationVariables(enKeys.get(key)!));
  });
});
