import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n, languages, listActions, listRegions, locationEditions, resources, serviceId, type CatalogEntry } from '@regtrail/core';
import { runCli } from '../src/lib/cli-examples.js';
import { LANGS, fileOf, page, textOf } from './site.js';

const read = (name: string) => fs.readFileSync(fileOf(`/${name}`), 'utf8');

describe('downloads', () => {
  type CatalogDownload = { actions: CatalogEntry[]; descriptions: Record<string, Record<string, string>> };
  const catalog = () => JSON.parse(read('catalog.json')) as CatalogDownload;

  it('catalog.json holds listActions({ includeRemoved: true }) as `actions`, every action ever listed, unchanged', () => {
    const { actions } = catalog();
    // Entries carry the day they were made; compare with the catalog as of that same day.
    expect(actions).toEqual(listActions({ includeRemoved: true, asOf: actions[0]!.asOf }));
    expect(actions.length).toBeGreaterThan(listActions().length);
    expect(Object.keys(catalog()).sort()).toEqual(['actions', 'descriptions']);
  });

  it.each(languages)('catalog.json holds every action\'s %s description, as the locale resources give it through i18n', (lng) => {
    const { actions, descriptions } = catalog();
    expect(Object.keys(descriptions).sort()).toEqual([...languages].sort());
    const t = createI18n(lng).getFixedT(lng);
    const byId = Object.fromEntries(actions.map((a) => [a.id, t(`actions:${a.objectType}.${a.verb}`)]));
    expect(descriptions[lng]).toEqual(byId);
    // Every action the locale file describes is in the download, and no description is left
    // with a placeholder or in another language.
    const described = Object.entries(resources[lng]!.actions as Record<string, Record<string, string>>)
      .flatMap(([objectType, verbs]) => Object.keys(verbs).map((verb) => `${serviceId}.${objectType}.${verb}`));
    expect(Object.keys(descriptions[lng]!).sort()).toEqual(described.sort());
    for (const text of Object.values(descriptions[lng]!)) expect(text).not.toMatch(/\{\{|\}\}/);
    if (lng !== 'en') for (const a of actions) expect(descriptions[lng]![a.id]).not.toBe(descriptions.en![a.id]);
  });

  it('schema.json is what `regtrail schema` prints, byte for byte', () => {
    const { output, exitCode } = runCli(['schema']);
    expect(exitCode).toBe(0);
    expect(read('schema.json')).toBe(`${output}\n`);
  });

  it('regions.json holds listRegions() and every edition of the rule', () => {
    expect(JSON.parse(read('regions.json'))).toEqual(JSON.parse(JSON.stringify({ regions: listRegions(), locationEditions: locationEditions() })));
  });

  it.each(LANGS)('the $lang events and event fields pages link to them', ({ prefix }) => {
    const links = (p: string) => page(p).querySelectorAll('[data-download]').map((a) => a.getAttribute('href'));
    expect(links(`${prefix}/events/`)).toEqual(['/catalog.json', '/regions.json', '/schema.json']);
    expect(links(`${prefix}/event-fields/`)).toEqual(['/schema.json', '/catalog.json']);
  });

  it.each(LANGS)('the $lang events page says what each file holds, catalog.json\'s two keys included', ({ prefix }) => {
    const about = (f: string) => page(`${prefix}/events/`).querySelector(`[data-download-about="${f}"]`)!;
    const codes = (f: string) => about(f).querySelectorAll('code').map((c) => textOf(c));
    expect(codes('catalog.json')).toEqual(['catalog.json', 'actions', 'listActions({ includeRemoved: true })', 'descriptions', `descriptions["zh-CN"]["${serviceId}.image.push"]`]);
    expect(codes('regions.json')).toEqual(['regions.json', 'regions', 'locationEditions']);
    expect(codes('schema.json')).toEqual(['schema.json', 'regtrail schema']);
    // The example it gives is a real path into the file.
    const { descriptions } = catalog();
    expect(descriptions['zh-CN']![`${serviceId}.image.push`]).toBe(createI18n('zh-CN').getFixedT('zh-CN')('actions:image.push'));
    expect(textOf(about('catalog.json'))).not.toContain('`');
  });
});
