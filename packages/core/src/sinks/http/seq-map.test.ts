import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../simulate/prng.js';
import { SeqMap } from './seq-map.js';

describe('SeqMap', () => {
  it('agrees with a Map over 200,000 random operations: numbers arriving nearly in order, leaving in any order', () => {
    const random = seededRandom('seq-map');
    const map = new SeqMap<string>();
    const reference = new Map<number, string>();
    let next = 0;
    let highest = -1;
    for (let step = 0; step < 200_000; step++) {
      const r = random.next();
      if (r < 0.45) {
        // Mostly the next number; sometimes one a little ahead (a gap left by numbers done before a restart).
        const n = random.next() < 0.9 ? next++ : (next += 1 + random.int(3000));
        map.set(n, `v${n}`);
        reference.set(n, `v${n}`);
        highest = Math.max(highest, n);
      } else if (r < 0.9) {
        const keys = [...reference.keys()];
        const n = keys.length && random.next() < 0.9 ? keys[random.int(keys.length)]! : random.int(next + 5);
        expect(map.delete(n)).toBe(reference.delete(n));
      } else {
        const n = random.int(next + 5);
        expect(map.get(n)).toBe(reference.get(n));
        expect(map.has(n)).toBe(reference.has(n));
      }
      if (step % 97 === 0) {
        expect(map.size).toBe(reference.size);
        expect(map.min()).toBe(reference.size ? Math.min(...reference.keys()) : undefined);
        expect(map.highest).toBe(highest);
      }
    }
    const all = map.takeAll();
    expect(all.sort()).toEqual([...reference.values()].sort());
    expect(map.size).toBe(0);
    expect(map.min()).toBeUndefined();
    expect(map.get(next - 1)).toBeUndefined();
  });

  it('setting a number again replaces its value without counting it twice; undefined deletes', () => {
    const map = new SeqMap<number>();
    map.set(5, 1);
    map.set(5, 2);
    expect(map.size).toBe(1);
    expect(map.get(5)).toBe(2);
    map.set(5, undefined);
    expect(map.size).toBe(0);
    expect(map.has(5)).toBe(false);
    expect(map.delete(5)).toBe(false);
    map.set(1023, 1);
    map.set(1024, 1);
    map.delete(1024);
    expect(map.min()).toBe(1023);
    expect(map.highest).toBe(1024);
  });
});
