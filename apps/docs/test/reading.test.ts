import { describe, expect, it } from 'vitest';
import { editions, listRegions } from '@regtrail/core';
import { SAMPLE_REGION } from '@regtrail/core/emit';
import { LANGS, page, textOf } from './site.js';

describe.each(LANGS)('reading comfort ($lang)', ({ prefix }) => {
  it('the emitter guide pretty-prints its outputs: no line of output runs past 200 characters', () => {
    const outputs = page(`${prefix}/emitter/`).querySelectorAll('[data-ts-output], [data-cli-output]');
    expect(outputs.length).toBeGreaterThan(3);
    const long = outputs.flatMap((o) => o.text.split('\n')).filter((l) => l.length > 200);
    expect(long).toEqual([]);
    // The emitted event is shown as indented JSON.
    expect(page(`${prefix}/emitter/`).querySelector('[data-cli-example="emit"] [data-cli-output]')!.text).toMatch(/^\{\n {2}"/);
  });

  it('every command block of the guides has a copy button', () => {
    for (const p of ['/cli/', '/emitter/']) {
      const commands = page(`${prefix}${p}`).querySelectorAll('[data-cli-command]');
      expect(commands.length).toBeGreaterThan(0);
      for (const c of commands) expect(c.querySelector('.copy button[data-code]'), p).not.toBeNull();
    }
  });

  it(`action pages link "${SAMPLE_REGION}" to its row on the regions page`, () => {
    const link = page(`${prefix}/events/image.push/`).querySelector('[data-region-link]')!;
    expect(textOf(link)).toBe(SAMPLE_REGION);
    expect(link.getAttribute('href')).toBe(`${prefix}/regions/#region-${SAMPLE_REGION}`);
    expect(page(`${prefix}/regions/`).querySelector(`#region-${SAMPLE_REGION}`)).not.toBeNull();
  });

  it('the events page links to the regions page', () => {
    expect(page(`${prefix}/events/`).querySelectorAll('main a').some((a) => a.getAttribute('href') === `${prefix}/regions/`)).toBe(true);
  });

  it('the rule edition that names locations by former region names says so, with today\'s names', () => {
    const notes = page(`${prefix}/regions/`).querySelectorAll('section[data-location-edition] [data-former-names]');
    expect(notes.map((n) => n.closest('section')!.getAttribute('data-location-edition'))).toEqual(['legacy']);
    const pairs = textOf(notes[0]);
    for (const r of listRegions().filter((r) => ['ap-south', 'eu-central', 'uk-south'].includes(r.formerName ?? ''))) {
      expect(pairs).toContain(`${r.formerName} = ${r.id}`);
    }
  });

  it('the home page says history starts at its first entry', () => {
    const text = textOf(page(`${prefix}/`).querySelector('main'));
    expect(editions()[0]).toBe('2018-07-25');
    expect(text).toContain(editions()[0]);
    expect(text).not.toContain('2019-06-21');
  });
});
