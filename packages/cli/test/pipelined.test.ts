import { describe, expect, it } from 'vitest';
import type { ActivityEvent, EventSink } from '@regtrail/core/emit';
import { pipelined } from '../src/delivery/pipelined.js';

/** A sink whose writes settle when the test says so. */
function heldSink() {
  const held: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  const sink: EventSink = {
    write: () => new Promise<void>((resolve, reject) => held.push({ resolve, reject })),
    flush: async () => undefined,
    close: async () => undefined,
  };
  return { sink, held };
}

const event = { action: 'container-registry.image.pull' } as ActivityEvent;
const tick = () => new Promise((r) => setImmediate(r));

describe('pipelined writes (the simulator into the HTTP sink)', () => {
  it('keeps at most `window` writes in flight, and the producer waits for room', async () => {
    const { sink, held } = heldSink();
    const p = pipelined(sink, undefined, 3);
    for (let i = 0; i < 2; i++) await p.write(event);
    let third = false;
    const w = p.write(event).then(() => (third = true));
    await tick();
    expect(held).toHaveLength(3);
    expect(third).toBe(false);
    held[0]!.resolve();
    await w;
    expect(third).toBe(true);
    expect(p.accepted).toBe(1);
    expect(p.produced).toBe(3);
  });

  it('flush waits for every write in flight, and close does too', async () => {
    const { sink, held } = heldSink();
    const p = pipelined(sink, undefined, 10);
    for (let i = 0; i < 4; i++) await p.write(event);
    let flushed = false;
    const f = p.flush().then(() => (flushed = true));
    for (const h of held.slice(0, 3)) h.resolve();
    await tick();
    expect(flushed).toBe(false);
    held[3]!.resolve();
    await f;
    expect(p.accepted).toBe(4);
    await p.close();
  });

  it('a failed write fails the next write and the flush, with its own error', async () => {
    const { sink, held } = heldSink();
    const p = pipelined(sink, undefined, 10);
    await p.write(event);
    await p.write(event);
    held[0]!.reject(new Error('spool full'));
    held[1]!.resolve();
    await tick();
    await expect(p.write(event)).rejects.toThrow('spool full');
    await expect(p.flush()).rejects.toThrow('spool full');
    expect(p.failure?.err).toBeInstanceOf(Error);
  });
});
