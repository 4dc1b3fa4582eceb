const BLOCK = 1024;

interface Block<T> {
  readonly values: (T | undefined)[];
  count: number;
}

/**
 * A map from sequence numbers to values, for the events an HTTP sink has taken and not yet
 * finished. Numbers arrive nearly in order and leave in any order (batches per location finish
 * independently), a thousand or more at a time.
 *
 * It keeps one array of 1,024 slots per block of numbers, in a Map keyed by block, and drops a
 * block once it is empty. A Map keyed by every number rehashes its table every thousand or so
 * additions and deletions, and each table lives long enough to be copied into V8's old generation.
 * Here the per-event work is an array store, and a block is one allocation per 1,024 events.
 *
 * Undefined is not a value: `set(n, undefined)` is `delete(n)`.
 */
export class SeqMap<T> {
  private readonly blocks = new Map<number, Block<T>>();
  private count = 0;
  private top = -1;
  /** The block last used: consecutive numbers mostly fall in the same one. */
  private lastKey = -1;
  private last: Block<T> | undefined;

  get size(): number {
    return this.count;
  }

  /** The highest number ever set (-1 before the first): every number set later is higher, when numbers arrive in order. */
  get highest(): number {
    return this.top;
  }

  private block(key: number): Block<T> | undefined {
    if (key === this.lastKey) return this.last;
    const b = this.blocks.get(key);
    if (b) {
      this.lastKey = key;
      this.last = b;
    }
    return b;
  }

  get(n: number): T | undefined {
    return this.block(Math.floor(n / BLOCK))?.values[n % BLOCK];
  }

  has(n: number): boolean {
    return this.get(n) !== undefined;
  }

  set(n: number, value: T | undefined): void {
    if (value === undefined) {
      this.delete(n);
      return;
    }
    const key = Math.floor(n / BLOCK);
    let b = this.block(key);
    if (!b) {
      b = { values: new Array<T | undefined>(BLOCK).fill(undefined), count: 0 };
      this.blocks.set(key, b);
      this.lastKey = key;
      this.last = b;
    }
    const i = n % BLOCK;
    if (n > this.top) this.top = n;
    if (b.values[i] === undefined) {
      b.count++;
      this.count++;
    }
    b.values[i] = value;
  }

  /** Removes n; true if it was there. */
  delete(n: number): boolean {
    const key = Math.floor(n / BLOCK);
    const b = this.block(key);
    const i = n % BLOCK;
    if (!b || b.values[i] === undefined) return false;
    b.values[i] = undefined;
    b.count--;
    this.count--;
    if (b.count === 0) {
      this.blocks.delete(key);
      if (this.lastKey === key) {
        this.lastKey = -1;
        this.last = undefined;
      }
    }
    return true;
  }

  /** The smallest number present, or undefined when empty. */
  min(): number | undefined {
    let key = Infinity;
    for (const k of this.blocks.keys()) if (k < key) key = k;
    if (key === Infinity) return undefined;
    const values = this.blocks.get(key)!.values;
    for (let i = 0; i < BLOCK; i++) if (values[i] !== undefined) return key * BLOCK + i;
    return undefined;
  }

  /** Empties the map: its values, in no particular order. */
  takeAll(): T[] {
    const out: T[] = [];
    for (const b of this.blocks.values()) for (const v of b.values) if (v !== undefined) out.push(v);
    this.blocks.clear();
    this.count = 0;
    this.lastKey = -1;
    this.last = undefined;
    return out;
  }
}
