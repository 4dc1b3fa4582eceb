import { describe, expect, it } from 'vitest';
import { eventLocation, listRegions } from '../index.js';
import { createEventLocator } from './locate.js';

const crn = (location: string) => `crn:v1:bluemix:public:container-registry:${location}:a/acct::`;
const at = (date: string) => `${date}T10:00:00.00+0000`;

describe('createEventLocator', () => {
  // Every region on the first day of every edition of the rule and the day before, in runs of one
  // CRN and one time (what the locator remembers) broken by other regions and dates.
  const dates = ['2018-07-25', '2019-03-13', '2019-03-14', '2019-06-20', '2019-06-21', '2021-02-28', '2021-03-01', '2025-06-01'];
  const regions = listRegions();
  const cases = dates.flatMap((date) => regions.map((region) => ({ date, region })));

  it(`routes ${cases.length} region-days, each twice in a row, as eventLocation says`, () => {
    const locate = createEventLocator();
    for (const { date, region } of [...cases, ...[...cases].reverse()]) {
      let expected: string | Error;
      try {
        expected = eventLocation(region, { asOf: date }).eventLocation;
      } catch (err) {
        expected = err as Error;
      }
      for (let twice = 0; twice < 2; twice++) {
        const event = { logSourceCRN: crn(region.crnLocation), eventTime: at(date) };
        if (typeof expected === 'string') expect(locate(event), `${region.id} on ${date}`).toBe(expected);
        else expect(() => locate(event)).toThrow();
      }
    }
  });

  it('refuses a bad CRN or time even right after a good one with the same other half', () => {
    const locate = createEventLocator();
    const good = { logSourceCRN: crn('us-south'), eventTime: at('2025-06-01') };
    expect(locate(good)).toBe(eventLocation('us-south', { asOf: '2025-06-01' }).eventLocation);
    for (const bad of [
      { ...good, logSourceCRN: 'crn:v1:nope' },
      { ...good, logSourceCRN: undefined as unknown as string },
      { ...good, eventTime: 'yesterday' },
      { ...good, eventTime: undefined as unknown as string },
      { ...good, logSourceCRN: crn('mars-1') },
    ]) {
      expect(() => locate(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'UNROUTABLE' }));
      expect(() => locate(bad), `${JSON.stringify(bad)}, again`).toThrow(expect.objectContaining({ code: 'UNROUTABLE' }));
      expect(locate(good)).toBe(eventLocation('us-south', { asOf: '2025-06-01' }).eventLocation);
    }
  });

  it('refuses an event without CRN or time as its very first', () => {
    expect(() => createEventLocator()({ logSourceCRN: undefined as unknown as string, eventTime: at('2025-06-01') })).toThrow(expect.objectContaining({ code: 'UNROUTABLE' }));
    expect(() => createEventLocator()({ logSourceCRN: crn('us-south'), eventTime: undefined as unknown as string })).toThrow(expect.objectContaining({ code: 'UNROUTABLE' }));
  });
});
