import { describe, expect, it } from 'vitest';
import { eventLocation, listRegions, locationEditionOn, locationEditions, today } from '../index.js';

// [region or domain as given, date, expected location]: one or more rows for every edition.
const CASES: [string, string, string][] = [
  // legacy, the seed's edition
  ['ap-north', '2019-06-21', 'ap-south'],
  ['jp-tok', '2019-06-21', 'ap-south'],
  ['jp.icr.io', '2019-03-14', 'ap-south'],
  ['ap-south', '2019-06-21', 'ap-south'],
  ['us-south', '2019-07-24', 'us-south'],
  ['eu-central', '2019-06-21', 'eu-central'],
  ['registry.eu-gb.bluemix.net', '2019-06-21', 'uk-south'],
  // logdna
  ['ap-south', '2019-07-25', 'jp-tok'],
  ['ap-south', '2020-01-30', 'jp-tok'],
  ['au-syd', '2020-01-30', 'jp-tok'],
  ['ap-north', '2020-01-30', 'jp-tok'],
  ['eu-central', '2020-01-30', 'eu-de'],
  ['uk.icr.io', '2020-01-30', 'eu-gb'],
  ['icr.io', '2020-01-30', 'us-south'],
  // logdna-osaka
  ['jp-osa', '2021-03-01', 'jp-tok'],
  ['jp2.icr.io', '2021-02-15', 'jp-tok'],
  // logdna-osaka-local
  ['jp-osa', '2021-06-01', 'jp-osa'],
  ['jp-osa', '2021-05-14', 'jp-osa'],
  ['au-syd', '2023-01-01', 'jp-tok'],
  // logdna-more-regions
  ['icr.io', '2024-11-01', 'us-south'],
  ['br-sao', '2024-11-01', 'br-sao'],
  ['es.icr.io', '2024-11-01', 'eu-es'],
  ['ap-south', '2024-11-01', 'jp-tok'],
  ['private.de.icr.io', '2025-03-31', 'eu-de'],
  // event-routing (today's)
  ['au-syd', '2025-04-01', 'au-syd'],
  ['icr.io', '2025-04-01', 'us-east'],
  ['in2.icr.io', '2026-01-01', 'in-mum'],
];

describe('eventLocation, edition by edition', () => {
  it.each(CASES)('%s on %s → %s', (text, asOf, expected) => {
    expect(eventLocation(text, { asOf }).eventLocation).toBe(expected);
  });

  it('today every region shows its own events and the global registry us-east', () => {
    for (const r of listRegions()) {
      expect(eventLocation(r.id).eventLocation).toBe(r.global ? 'us-east' : r.id);
    }
    expect(eventLocation('icr.io').asOf).toBe(today());
  });

  it('says which edition answered', () => {
    expect(eventLocation('ap-north', { asOf: '2019-06-21' }).edition).toBe('legacy');
    expect(locationEditionOn('2021-05-13').id).toBe('logdna-osaka');
    expect(locationEditionOn('2021-05-14').id).toBe('logdna-osaka-local');
  });

  it('editions follow each other without gaps', () => {
    const eds = locationEditions();
    for (let i = 1; i < eds.length; i++) expect(eds[i - 1]!.until).toBe(eds[i]!.since);
    expect(eds.at(-1)!.until).toBeUndefined();
  });

  it('refuses a date before the first rule and a region a rule did not cover', () => {
    expect(() => eventLocation('us-south', { asOf: '2018-12-31' })).toThrow(/no event-location rule was in force on 2018-12-31/);
    expect(() => eventLocation('ca-mon', { asOf: '2024-11-01' })).toThrow(/does not cover ca-mon/);
    expect(() => eventLocation('jp-osa', { asOf: '2020-06-01' })).toThrow(/does not cover jp-osa/);
    expect(() => eventLocation('us-south', { asOf: '2020-02-30' })).toThrow(/YYYY-MM-DD/);
  });
});
