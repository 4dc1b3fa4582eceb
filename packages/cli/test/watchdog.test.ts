import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { stallWatchdog } from '../src/delivery/watchdog.js';

// A full GC on demand, without starting vitest with --expose-gc.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('stall watchdog (in-process)', () => {
  it('keeps nothing of a write once it is settled: memory stays flat over 200,000 writes', async () => {
    let spooled = 0;
    const dog = stallWatchdog(() => ({ sent: 0, deadLettered: 0, spooled, pending: 0, retried: 0, recovered: 0, requests: 0, failedRequests: 0 }) as never, 60_000);
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        spooled++;
        await dog.guard(Promise.resolve(i));
      }
    };
    await round(20_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    await round(200_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    dog.stop();
    // Racing each write against one promise that never settles left a reaction on it per write
    // (about 300 bytes each: 60 MB here, and a heap that grows with every event sent).
    expect(grown).toBeLessThan(3_000_000);
  });

  it('rejects the writes that wait, and every later one, with STALLED when nothing moves', async () => {
    const dog = stallWatchdog(() => ({ sent: 0, deadLettered: 0, spooled: 0, pending: 7, retried: 0, recovered: 0, requests: 0, failedRequests: 0 }) as never, 200);
    const never = new Promise<void>(() => undefined);
    const started = Date.now();
    await expect(dog.guard(never)).rejects.toMatchObject({ code: 'STALLED', message: expect.stringMatching(/nothing was delivered for 0.2 s while 7 event\(s\) waited/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await expect(dog.guard(never)).rejects.toMatchObject({ code: 'STALLED' });
    // A write that settles is still its own answer.
    await expect(dog.guard(Promise.reject(new Error('boom')))).rejects.toThrow(/boom|nothing was delivered/);
    dog.stop();
  });

  it('rejects only the writes still waiting when it stalls; those settled before keep their own answer', async () => {
    let spooled = 0;
    const dog = stallWatchdog(() => ({ sent: 0, deadLettered: 0, spooled, pending: 3, retried: 0, recovered: 0, requests: 0, failedRequests: 0 }) as never, 200);
    const settle: ((v: number) => void)[] = [];
    const writes = Array.from({ length: 5 }, () => dog.guard(new Promise<number>((resolve) => settle.push(resolve))));
    // The first, the middle and the last of the list settle (and leave it); two stay waiting.
    settle[0]!(0);
    settle[2]!(2);
    settle[4]!(4);
    spooled++;
    const results = await Promise.allSettled(writes);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code))).toEqual([0, 'STALLED', 2, 'STALLED', 4]);
    // Settling a write the stall already answered changes nothing.
    settle[1]!(1);
    await new Promise((r) => setTimeout(r, 10));
    await expect(dog.guard(Promise.resolve(9))).rejects.toMatchObject({ code: 'STALLED' });
    dog.stop();
  });
});
