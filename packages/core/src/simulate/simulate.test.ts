import { describe, expect, it } from 'vitest';
import { locationEditions, memorySink, RegtrailError, simulate, SIMULATED_EVENT_MIN_BYTES } from '../index.js';

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

describe('simulate: the smallest event', () => {
  // The CLI refuses a --count that its destination cannot hold at this size per event.
  it.each([
    [1, 'us-south', '2025-01-01'],
    [2, 'eu-de', '2019-06-01'],
    [3, 'jp-tok', '2021-01-01'],
    [4, 'ap-north', '2024-05-01'],
    [5, 'br-sao', '2026-01-01'],
  ] as const)('no line is shorter than SIMULATED_EVENT_MIN_BYTES (seed %s, %s, from %s)', async (seed, region, start) => {
    const sink = memorySink();
    await simulate({ count: 5000, sink, seed, region, start: new Date(start) });
    const smallest = Math.min(...sink.lines().map((l) => Buffer.byteLength(l) + 1));
    expect(smallest).toBeGreaterThanOrEqual(SIMULATED_EVENT_MIN_BYTES);
  });
});
