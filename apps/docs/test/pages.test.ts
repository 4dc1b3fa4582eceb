import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allActions, deprecatedMark, describeAction, listActions, products, serviceId } from '@regtrail/core';
import { fillSeedPlaceholders, seedRows } from '../../../packages/core/test/seed.js';
import { LANGS, fileOf, page, textOf } from './site.js';

const slug = (id: string) => id.slice(serviceId.length + 1);

describe.each(LANGS)('$lang site', ({ lang, prefix }) => {
  it('Events page lists exactly the current actions, each with its catalog description', () => {
    const rows = page(`${prefix}/events/`).querySelectorAll('table[data-events-table] tbody tr');
    const current = listActions();
    expect(rows.map((r) => r.getAttribute('data-action')).sort()).toEqual(current.map((a) => a.id).sort());
    for (const entry of current) {
      const row = rows.find((r) => r.getAttribute('data-action') === entry.id)!;
      expect(textOf(row.querySelector('[data-description]'))).toBe(describeAction(entry.id, lang));
      const mark = entry.status === 'deprecated' ? deprecatedMark(lang) : '';
      expect(row.querySelector('[data-description-cell]')!.text).toBe(describeAction(entry.id, lang) + mark);
      expect(row.querySelector('a')!.getAttribute('href')).toBe(`${prefix}/events/${slug(entry.id)}/`);
      // The short id shows; the full id is the link's title and what a copy of the cell gives.
      expect(row.querySelector('a')!.getAttribute('title')).toBe(entry.id);
      expect(textOf(row.querySelector('[data-id-cell]'))).toBe(entry.id);
      expect(textOf(row.querySelector('[data-id-cell] .sr-only'))).toBe(`${serviceId}.`);
    }
  });

  it('has a page for every action ever listed, removed ones marked with their date', () => {
    for (const action of allActions()) {
      const file = fileOf(`${prefix}/events/${slug(action.id)}/`);
      expect(fs.existsSync(file), file).toBe(true);
      const doc = page(`${prefix}/events/${slug(action.id)}/`);
      expect(textOf(doc.querySelector('h1'))).toBe(slug(action.id));
      expect(textOf(doc.querySelector('[data-full-id]'))).toBe(action.id);
      expect(textOf(doc.querySelector('[data-action-description]'))).toBe(describeAction(action.id, lang));
      expect(doc.querySelector('html')!.getAttribute('lang')).toBe(lang);
      if (action.removed) expect(textOf(doc.querySelector('.starlight-aside'))).toContain(action.removed);
      for (const f of action.fields) expect(doc.querySelector(`tr[data-field="${f.path}"]`), `${action.id} ${f.path}`).not.toBeNull();
    }
  });

  it('has a table on the history page for every edition', () => {
    const doc = page(`${prefix}/history/`);
    const sections = doc.querySelectorAll('section[data-edition]');
    for (const s of sections) {
      const asOf = s.getAttribute('data-edition')!;
      const ids = s.querySelectorAll('tr[data-action]').map((r) => r.getAttribute('data-action'));
      expect(ids, asOf).toEqual(listActions({ asOf }).map((a) => a.id));
    }
    expect(sections.length).toBeGreaterThan(10);
  });
});

describe('the history table of 2019-06-21', () => {
  const seed = seedRows();
  const table = (prefix: string) => page(`${prefix}/history/`).querySelectorAll('section[data-edition="2019-06-21"] tr[data-action]');

  it('reproduces the seed page in zh-CN: 23 rows, seed order, seed text', () => {
    const rows = table('/zh-cn');
    expect(seed).toHaveLength(23);
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(seed.map((r) => r.id));
    rows.forEach((row, i) => {
      expect(row.querySelector('[data-description-cell]')!.text).toBe(fillSeedPlaceholders(seed[i]!.description, products));
    });
    expect(rows.find((r) => r.getAttribute('data-action') === 'container-registry.registrytoken.create')!.text).toContain('（不推荐）');
  });

  it('lists the same rows in English', () => {
    expect(table('').map((r) => r.getAttribute('data-action'))).toEqual(seed.map((r) => r.id));
  });
});
