import { describe, expect, it } from 'vitest';
import { BOUNDS, BoundedCache } from './hot-state.js';
import { EventComposer } from './event/build.js';
import { createEmitter, getAction, memorySink, resolveRegion, validateEvent, type ActivityEvent } from './index.js';

/**
 * The hot-path state (hot-state.ts): memos never answer for a value they have not checked, and
 * the bounded caches stay bounded, keep working past their bound, and never change a result.
 */

function goodEvent(): ActivityEvent {
  const emitter = createEmitter({ accountId: 'acct1', region: 'us-south', sink: memorySink(), clock: () => Date.UTC(2025, 4, 2, 9), newId: () => 'id-1', validate: false });
  return emitter.build('image.pull', { initiator: { id: 'IBMid-1', ip: '198.51.100.7' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1' } });
}

describe('one-entry memos', () => {
  // This must be the first validation in this file (vitest loads the library afresh for each file):
  // a memo that starts out holding '' would pass an empty event time or CRN unchecked.
  it('check the very first value they see', () => {
    for (const [field, set] of [
      ['eventTime', (e: ActivityEvent) => void (e.eventTime = '')],
      ['target.id', (e: ActivityEvent) => void (e.target.id = '')],
      ['logSourceCRN', (e: ActivityEvent) => void (e.logSourceCRN = '')],
    ] as const) {
      const event = goodEvent();
      set(event);
      expect(validateEvent(event, { lifecycle: false }).ok, `an empty ${field} was accepted`).toBe(false);
    }
  });
});

describe('BoundedCache', () => {
  it('never holds more than its limit, and finds what it holds', () => {
    const cache = new BoundedCache<number, string>(100);
    for (let i = 0; i < 1000; i++) cache.set(i, `v${i}`);
    expect(cache.size).toBe(100);
    let found = 0;
    for (let i = 0; i < 1000; i++) {
      const v = cache.get(i);
      if (v !== undefined) {
        expect(v).toBe(`v${i}`);
        found++;
      }
    }
    expect(found).toBe(100);
  });

  it('keeps hitting when a working set larger than the bound comes round in a cycle', () => {
    // Clearing everything at the bound, or evicting the least recently used, hits nothing here.
    const cache = new BoundedCache<number, number>(1000);
    const rounds = 20;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < 1500; i++) if (cache.get(i) === undefined) cache.set(i, i);
    }
    const rate = cache.hits / (cache.hits + cache.misses);
    expect(rate).toBeGreaterThan(0.3);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});

describe("the composer's caches past their bound", () => {
  const action = getAction('image.push');
  const ctx = { accountId: 'acct1', region: resolveRegion('us-south'), serviceDisplayName: 'IBM Cloud Container Registry', saveServiceCopy: true };
  const image = (i: number) => `us.icr.io/ns${i % 50}/app${i}:1.${i % 7}`;
  const caller = (i: number) => ({ id: `IBMid-${i}`, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });

  it('write the right line for every event, stay within their bounds, and keep memory flat', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest.config.ts runs tests with --expose-gc').toBeTypeOf('function');
    const composer = new EventComposer(ctx);
    const bound = BOUNDS.targets;
    const heapAfter = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const { event, line } = composer.compose(action, { initiator: caller(i % (BOUNDS.initiators * 2)), target: { type: 'image', reference: image(i) } }, '2025-05-02T09:00:00.00+0000', `id-${i}`);
        if (line !== JSON.stringify(event)) throw new Error(`event ${i}: the line is not the event's JSON`);
        if (event.target.name !== image(i)) throw new Error(`event ${i}: target ${event.target.name}, not ${image(i)}`);
      }
      gc!();
      return process.memoryUsage().heapUsed;
    };
    const early = heapAfter(0, bound * 2);
    const late = heapAfter(bound * 2, bound * 10);
    const stats = composer.cacheStats();
    expect(stats.images.size).toBe(bound);
    expect(stats.initiators.size).toBe(BOUNDS.initiators);
    expect(stats.ipVersions.size).toBeLessThanOrEqual(BOUNDS.ipVersions);
    // 32,768 more distinct images and callers than the caches hold: the heap must not grow with
    // them (an unbounded cache would keep about 1 KB for each).
    expect(late - early).toBeLessThan(8 * 1024 * 1024);
  });

  it('keep hitting on a working set of 1.5 times their bound, visited in a cycle', () => {
    const composer = new EventComposer(ctx);
    const n = Math.floor(BOUNDS.targets * 1.5);
    for (let r = 0; r < 6; r++) {
      for (let i = 0; i < n; i++) composer.compose(action, { initiator: caller(1), target: { type: 'image', reference: image(i) } }, '2025-05-02T09:00:00.00+0000', undefined);
    }
    const { images } = composer.cacheStats();
    expect(images.hits / (images.hits + images.misses)).toBeGreaterThan(0.3);
  });
});
