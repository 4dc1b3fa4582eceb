import { describe, expect, it } from 'vitest';
import { deprecatedMark, describeAction, listActions, products } from '../index.js';
import { fillSeedPlaceholders, seedRows, seedText } from '../../test/seed.js';

describe('the seed page (zh-CN, 2019-06-21)', () => {
  const rows = seedRows();
  const catalog = listActions({ asOf: '2019-06-21' });

  it('has 23 rows although one lacks its <tr>', () => {
    expect(seedText).toMatch(/<\/tr>\s*<td>`container-registry\.image\.rm`/);
    expect(rows).toHaveLength(23);
  });

  it('lists the same ids, in the same order, as the catalog on that date', () => {
    expect(catalog.map((a) => a.id)).toEqual(rows.map((r) => r.id));
  });

  it.each(rows.map((r, i) => [r.id, i] as const))('%s has the seed description once product names are filled in', (id, i) => {
    const entry = catalog.find((a) => a.id === id)!;
    const mark = entry.status === 'deprecated' ? deprecatedMark('zh-CN') : '';
    expect(describeAction(id, 'zh-CN') + mark).toBe(fillSeedPlaceholders(rows[i]!.description, products));
  });

  it('marks only registrytoken.create deprecated, as the seed does', () => {
    expect(rows.filter((r) => r.description.includes('不推荐')).map((r) => r.id)).toEqual(
      catalog.filter((a) => a.status === 'deprecated').map((a) => a.id),
    );
  });
});
