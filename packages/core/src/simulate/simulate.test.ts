import { describe, expect, it } from 'vitest';
import { locationEditions, memorySink, RegtrailError, seededRandom, simulate, SIMULATED_EVENT_MIN_BYTES } from '../index.js';

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

describe('simulate: the generator', () => {
  it('writes hex and UUIDs exactly as draw.toString(16).padStart(8, "0") would (the same events for a seed as before the table)', () => {
    const fast = seededRandom('hex');
    const plain = seededRandom('hex');
    const hexOf = (length: number) => {
      let out = '';
      while (out.length < length) out += Math.floor(plain.next() * 4294967296).toString(16).padStart(8, '0');
      return out.slice(0, length);
    };
    for (let i = 0; i < 2000; i++) {
      const length = 1 + (i % 70);
      expect(fast.hex(length)).toBe(hexOf(length));
      const h = hexOf(32);
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      expect(fast.uuid()).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`);
    }
  });

  it('gives the same events for the same seed, and others for another', async () => {
    const run = async (seed: string) => {
      const sink = memorySink();
      await simulate({ count: 300, sink, seed });
      return sink.events.map((e) => JSON.stringify(e));
    };
    const a = await run('same');
    expect(await run('same')).toEqual(a);
    expect(new Set(a).size).toBe(300);
    expect(await run('other')).not.toEqual(a);
  });
});
