import { describe, expect, it } from 'vitest';
import { locationEditions, memorySink, RegtrailError, seededRandom, simulate } from '../index.js';

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
