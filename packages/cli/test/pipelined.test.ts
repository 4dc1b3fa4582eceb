import { describe, expect, it } from 'vitest';
import type { ActivityEvent, EventSink } from '@regtrail/core/emit';
import { pipelined } from '../src/delivery/pipelined.js';
import { stallWatchdog } from '../src/delivery/watchdog.js';

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

  it('a stall (the watchdog sees no progress while writes are in flight) fails the producer waiting for room, its next write and the flush, without waiting for the writes in flight', async () => {
    const { sink, held } = heldSink();
    const stats = { sent: 0, deadLettered: 0, spooled: 0, pending: 2, retried: 0, recovered: 0, requests: 0, failedRequests: 0 };
    const dog = stallWatchdog(() => stats, 200);
    try {
      const p = pipelined(sink, dog, 2);
      await p.write(event);
      let waited: unknown = 'pending';
      const second = p.write(event).then(
        () => (waited = 'room'),
        (err: unknown) => (waited = err),
      );
      await second;
      // The producer was let go by the stall, not by a write settling: none did.
      expect(waited).toBe('room');
      expect(held).toHaveLength(2);
      await expect(p.write(event)).rejects.toMatchObject({ code: 'STALLED' });
      await expect(p.flush()).rejects.toMatchObject({ code: 'STALLED' });
      // A write the sink accepts after the stall is still counted.
      held[0]!.resolve();
      await tick();
      expect(p.accepted).toBe(1);
    } finally {
      dog.stop();
    }
  });

  it('no stall while nothing is in flight, however long the sink makes no progress', async () => {
    const { sink, held } = heldSink();
    const stats = { sent: 0, deadLettered: 0, spooled: 0, pending: 0, retried: 0, recovered: 0, requests: 0, failedRequests: 0 };
    const dog = stallWatchdog(() => stats, 100);
    try {
      const p = pipelined(sink, dog, 4);
      await p.write(event);
      held[0]!.resolve();
      await p.flush();
      await new Promise((r) => setTimeout(r, 400));
      await p.write(event);
      held[1]!.resolve();
      await p.flush();
      expect(p.accepted).toBe(2);
    } finally {
      dog.stop();
    }
  });
});
