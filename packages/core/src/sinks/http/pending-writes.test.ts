import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('PendingWrites (what flush waits for)', () => {
  it('settles at once with nothing in progress', async () => {
    await new PendingWrites().settled();
  });

  it('waits for the writes begun before it, in any order, and not for those begun after', async () => {
    const w = new PendingWrites();
    const a = w.begin();
    const b = w.begin();
    let done = false;
    const settled = w.settled().then(() => (done = true));
    const later = w.begin();
    w.end(b);
    await tick();
    expect(done).toBe(false);
    w.end(a);
    await settled;
    expect(done).toBe(true);
    // The later write is waited for by the next flush only.
    let second = false;
    const next = w.settled().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    w.end(later);
    await next;
  });

  it('a later flush also waits for what an earlier flush still waits for', async () => {
    const w = new PendingWrites();
    const a = w.begin();
    const first = w.settled();
    const b = w.begin();
    let secondDone = false;
    const second = w.settled().then(() => (secondDone = true));
    w.end(b);
    await tick();
    expect(secondDone).toBe(false);
    w.end(a);
    await Promise.all([first, second]);
  });
});
