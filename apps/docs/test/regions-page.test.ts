import { describe, expect, it } from 'vitest';
import { listRegions, locationEditionOn, locationEditions, locationUnder, translator } from '@regtrail/core';
import { LANGS, page, textOf } from './site.js';

describe.each(LANGS)('$lang Where to find events page', ({ lang, prefix }) => {
  const doc = page(`${prefix}/regions/`);

  it('leads with the answer: region, then where its events are found today', () => {
    const headers = doc.querySelectorAll('table[data-regions-table] thead th').map((th) => textOf(th));
    const t = translator(lang);
    expect(headers.slice(0, 2)).toEqual([t('docs:regions.region'), t('docs:regions.eventsFoundIn')]);
    for (const row of doc.querySelectorAll('table[data-regions-table] tbody tr')) {
      expect(row.querySelectorAll('td')[1]!.hasAttribute('data-location')).toBe(true);
    }
  });

  it('has one row per region of listRegions(), with its name, domain and today\'s location', () => {
    const rows = doc.querySelectorAll('table[data-regions-table] tbody tr');
    const today = locationEditionOn();
    expect(rows.map((r) => r.getAttribute('data-region'))).toEqual(listRegions().map((r) => r.id));
    for (const region of listRegions()) {
      const row = rows.find((r) => r.getAttribute('data-region') === region.id)!;
      expect(textOf(row.querySelector('[data-name]'))).toBe(translator(lang)(`regions:${region.id}.name`));
      expect(textOf(row.querySelector('[data-domain]'))).toBe(region.domain);
      const former = row.querySelector('[data-former]');
      if (region.formerName && region.formerName !== region.id) expect(textOf(former)).toBe(region.formerName);
      else expect(former).toBeNull();
      expect(textOf(row.querySelector('[data-location]'))).toBe(locationUnder(today, region) ?? '—');
    }
  });

  it('shows every edition of the rule, the seed\'s ap-north → ap-south first', () => {
    const sections = doc.querySelectorAll('section[data-location-edition]');
    expect(sections.map((s) => s.getAttribute('data-location-edition'))).toEqual(locationEditions().map((e) => e.id));
    for (const [i, edition] of locationEditions().entries()) {
      const rows = sections[i]!.querySelectorAll('tr[data-region]');
      for (const region of listRegions()) {
        const row = rows.find((r) => r.getAttribute('data-region') === region.id)!;
        expect(row.getAttribute('data-location'), `${edition.id} ${region.id}`).toBe(locationUnder(edition, region) ?? '');
      }
    }
    const seedEdition = sections[0]!.querySelector('tr[data-region="jp-tok"]')!;
    expect(seedEdition.getAttribute('data-location')).toBe('ap-south');
    expect(textOf(sections[0]!.querySelector('h3'))).toContain('2019-03-14');
  });
});
