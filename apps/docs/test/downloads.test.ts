import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listActions, listRegions, locationEditions } from '@regtrail/core';
import { runCli } from '../src/lib/cli-examples.js';
import { LANGS, fileOf, page } from './site.js';

const read = (name: string) => fs.readFileSync(fileOf(`/${name}`), 'utf8');

describe('downloads', () => {
  it('catalog.json is listActions({ includeRemoved: true }), every action ever listed', () => {
    const catalog = JSON.parse(read('catalog.json')) as { asOf: string }[];
    // Entries carry the day they were made; compare with the catalog as of that same day.
    expect(catalog).toEqual(listActions({ includeRemoved: true, asOf: catalog[0]!.asOf }));
    expect(catalog.length).toBeGreaterThan(listActions().length);
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
});
