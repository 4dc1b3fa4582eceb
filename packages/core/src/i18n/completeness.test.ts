import { describe, expect, it } from 'vitest';
import { languages, resources } from '../index.js';
import { flattenResources, interpolationVariables, pluralForm } from '../entry/internal.js';

const en = resources.en as Record<string, unknown>;
const zh = resources['zh-CN'] as Record<string, unknown>;
/**
 * namespace:key → string; the plural forms of a string (x_one, x_other) are one entry under
 * their base key, their texts joined (zh-CN uses only x_other, and carries x_one for key parity).
 */
const flat = (res: Record<string, unknown>) => {
  const out = new Map<string, string>();
  for (const [ns, keys] of Object.entries(res)) {
    for (const [k, v] of flattenResources(keys)) {
      const key = `${ns}:${pluralForm(k)?.base ?? k}`;
      out.set(key, out.has(key) ? `${out.get(key)}\n${v}` : v);
    }
  }
  return out;
};

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
    const vars = (text: string) => [...new Set(interpolationVariables(text))];
    expect(vars(zhKeys.get(key) ?? '')).toEqual(vars(enKeys.get(key)!));
  });
});
