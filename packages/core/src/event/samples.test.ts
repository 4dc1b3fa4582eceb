import { describe, expect, it } from 'vitest';
import { allActions, createEmitter, hasSampleEvents, memorySink, sampleEvents, validateEvent } from '../index.js';

const emittable = allActions().filter((a) => a.dataEvent !== 'unclassified');

describe('sampleEvents', () => {
  it.each(emittable.map((a) => a.id))('%s: a valid success and failure, on a day it was listed', (id) => {
    const s = sampleEvents(id);
    expect(s.success.event.outcome).toBe('success');
    expect(s.failure.event.outcome).toBe('failure');
    for (const sample of [s.success, s.failure]) {
      expect(validateEvent(sample.event)).toEqual({ ok: true, problems: [] });
      expect(sample.event.eventTime).toBe(`${s.date}T12:00:00.00+0000`);
      expect(sample.event.action).toBe(id);
    }
    expect(s.date >= s.action.since && (!s.action.removed || s.date < s.action.removed)).toBe(true);
    expect(s.success.event.id).not.toBe(s.failure.event.id);
  });

  it('are what the emitter makes of their inputs, every time', () => {
    for (const a of emittable) {
      const s = sampleEvents(a.id);
      for (const sample of [s.success, s.failure]) {
        const sink = memorySink();
        const emitter = createEmitter({ ...s.emitter, sink, clock: () => s.time, newId: () => sample.event.id!, warn: () => {} });
        expect(emitter.build(a.id as never, structuredClone(sample.input) as never)).toEqual(sample.event);
      }
      expect(sampleEvents(a.id)).toEqual(s);
    }
  });

  it('cannot sample an unclassified action', () => {
    expect(hasSampleEvents('image.rm')).toBe(false);
    expect(() => sampleEvents('image.rm')).toThrow(/unclassified/);
  });
});
