/**
 * A set of integers kept as sorted, disjoint, non-adjacent closed ranges [a, b]. The spool uses
 * it for the sequence numbers that are done (delivered or dead-lettered): deliveries finish out
 * of order, so a single offset cannot say what is done, but the set stays a handful of ranges.
 */
export class RangeSet {
  private ranges: [number, number][] = [];

  static from(ranges: readonly (readonly [number, number])[]): RangeSet {
    const set = new RangeSet();
    for (const [a, b] of ranges) set.addRange(a, b);
    return set;
  }

  /** Index of the first range whose end is >= n. */
  private find(n: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranges[mid]![1] < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(n: number): boolean {
    const r = this.ranges[this.find(n)];
    return r !== undefined && r[0] <= n;
  }

  add(n: number): void {
    this.addRange(n, n);
  }

  addRange(a: number, b: number): void {
    if (!(a <= b)) return;
    // Ranges that touch or overlap [a-1, b+1] merge with it.
    let i = this.find(a - 1);
    let start = a;
    let end = b;
    let j = i;
    while (j < this.ranges.length && this.ranges[j]![0] <= b + 1) {
      start = Math.min(start, this.ranges[j]![0]);
      end = Math.max(end, this.ranges[j]![1]);
      j++;
    }
    this.ranges.splice(i, j - i, [start, end]);
  }

  /** True when every integer in [a, b] is in the set. */
  covers(a: number, b: number): boolean {
    const r = this.ranges[this.find(a)];
    return r !== undefined && r[0] <= a && r[1] >= b;
  }

  /** Forgets everything below n (what no live segment can hold any more). */
  pruneBelow(n: number): void {
    const i = this.find(n);
    this.ranges.splice(0, i);
    const first = this.ranges[0];
    if (first && first[0] < n) first[0] = n;
  }

  /** The largest member, or undefined when empty. */
  max(): number | undefined {
    return this.ranges.at(-1)?.[1];
  }

  toJSON(): [number, number][] {
    return this.ranges.map(([a, b]) => [a, b]);
  }
}
