/**
 * Groups spooled events into batches per ingestion URL. A URL's queue is ready to send when it
 * holds `maxEvents` events or `maxBytes` bytes, when its oldest event has waited `maxAgeMs`, or
 * when the sink is flushing. URLs take turns, so one busy location cannot starve the others.
 */

export interface Entry {
  readonly seq: number;
  readonly json: string;
  readonly bytes: number;
  readonly url: string;
  readonly location: string;
  readonly at: number;
}

export interface Batch {
  readonly url: string;
  readonly location: string;
  readonly entries: readonly Entry[];
  /** Size of the JSON array body. */
  readonly bytes: number;
}

export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

interface Queue {
  entries: Entry[];
  head: number;
  bytes: number;
  /** Largest batch the endpoint accepted after a 413 (learned), else maxEvents. */
  cap: number;
}

/**
 * Request bodies: each batch's JSON array, encoded once into a buffer (each entry knows its UTF-8
 * size). Buffers of the usual size (`maxBytes`, the largest batch) are kept for the next batch
 * once a request is over, at most `keep` of them (the sink's concurrency): at a steady rate the
 * sink then allocates no body at all, and holds at most concurrency × maxBytes for them.
 */
export class BatchBodies {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {}

  /** The body of these entries: a view of a buffer to give back with `release` once the request is over. */
  take(entries: readonly Entry[]): Buffer {
    // `[`, `]`, and a comma between two entries.
    let size = entries.length > 0 ? entries.length + 1 : 2;
    for (const e of entries) size += e.bytes;
    const buffer = size <= this.maxBytes ? (this.free.pop() ?? Buffer.allocUnsafeSlow(this.maxBytes)) : Buffer.allocUnsafeSlow(size);
    let at = 0;
    buffer[at++] = 0x5b; // [
    for (let i = 0; i < entries.length; i++) {
      if (i > 0) buffer[at++] = 0x2c; // ,
      at += buffer.write(entries[i]!.json, at, 'utf8');
    }
    buffer[at++] = 0x5d; // ]
    return buffer.subarray(0, at);
  }

  /** Gives back a body whose request is over (answered, its answer read): its buffer is reused. */
  release(body: Buffer): void {
    if (body.buffer.byteLength === this.maxBytes && this.free.length < this.keep) this.free.push(Buffer.from(body.buffer, body.byteOffset, this.maxBytes));
  }
}

export class Batcher {
  private readonly queues = new Map<string, Queue>();
  private order: string[] = [];
  private turn = 0;
  private count = 0;

  constructor(private readonly limits: BatchLimits) {}

  get size(): number {
    return this.count;
  }

  add(entry: Entry): void {
    let q = this.queues.get(entry.url);
    if (!q) {
      q = { entries: [], head: 0, bytes: 0, cap: this.limits.maxEvents };
      this.queues.set(entry.url, q);
      this.order.push(entry.url);
    }
    q.entries.push(entry);
    q.bytes += entry.bytes + 1;
    this.count++;
  }

  /** After a 413 for a batch of n events, later batches to that URL hold at most n/2. */
  shrink(url: string, n: number): void {
    const q = this.queues.get(url);
    if (q) q.cap = Math.max(1, Math.min(q.cap, Math.floor(n / 2)));
  }

  private ready(q: Queue, force: boolean, now: number): boolean {
    const pending = q.entries.length - q.head;
    if (pending === 0) return false;
    if (force || pending >= q.cap || q.bytes + 1 >= this.limits.maxBytes) return true;
    return now - q.entries[q.head]!.at >= this.limits.maxAgeMs;
  }

  /** Takes the next batch that is ready, or undefined. */
  take(force: boolean, now = Date.now()): Batch | undefined {
    for (let i = 0; i < this.order.length; i++) {
      const url = this.order[(this.turn + i) % this.order.length]!;
      const q = this.queues.get(url)!;
      if (!this.ready(q, force, now)) continue;
      this.turn = (this.turn + i + 1) % this.order.length;
      const entries: Entry[] = [];
      let bytes = 1;
      while (q.head < q.entries.length && entries.length < q.cap) {
        const e = q.entries[q.head]!;
        if (entries.length && bytes + e.bytes + 1 > this.limits.maxBytes) break;
        entries.push(e);
        bytes += e.bytes + 1;
        q.head++;
        q.bytes -= e.bytes + 1;
      }
      this.count -= entries.length;
      if (q.head === q.entries.length) {
        q.entries = [];
        q.head = 0;
      } else if (q.head > 4096 && q.head * 2 > q.entries.length) {
        q.entries = q.entries.slice(q.head);
        q.head = 0;
      }
      return { url, location: entries[0]!.location, entries, bytes };
    }
    return undefined;
  }

  /** When the oldest waiting event of any queue reaches its age limit; undefined when none waits. */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const q of this.queues.values()) {
      const e = q.entries[q.head];
      if (e && (earliest === undefined || e.at < earliest)) earliest = e.at;
    }
    return earliest === undefined ? undefined : earliest + this.limits.maxAgeMs;
  }
}
