import { describe, expect, it } from 'vitest';
import { locationEditions, memorySink, RegtrailError, simulate } from '../index.js';

describe('simulate: start dates', () => {
  it('refuses a start before any region had an event location, with a clear error', async () => {
    const first = locationEditions()[0]!.since;
    const err = await simulate({ count: 10, sink: memorySink(), start: new Date('2019-02-01T00:00:00Z') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegtrailError);
    expect((err as RegtrailError).code).toBe('NOT_IN_SERVICE');
    expect((err as RegtrailError).message).toBe(`us-south had no event location on 2019-02-01: the first rule of where events are found dates from ${first}; start on or after it`);
  });

  it('simulates from the first day of the first rule', async () => {
    const sink = memorySink();
    await simulate({ count: 50, sink, start: new Date(`${locationEditions()[0]!.since}T00:00:00Z`), seed: 3 });
    expect(sink.events).toHaveLength(50);
  });
});
