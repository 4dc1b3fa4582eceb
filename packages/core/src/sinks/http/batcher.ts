import { IO_BUFFERS } from '../../hot-state.js';

/**
 * Groups spooled events into batches per ingestion URL. A URL's queue is ready to send when it
 * holds `maxEvents` events or `maxBytes` bytes, when its oldest event has waited `maxAgeMs`, or
 * when the sink is flushing. URLs take turns, so one busy location cannot starve the others.
 */

/**
 * A block of queued lines, as UTF-8 bytes. The lines of one ingestion URL are appended to its
 * current block; a block is given back to the batcher's free list once it is full and none of its
 * lines is queued or in flight any more (`live` 0), and starts over when that happens to the
 * current one. Lines are kept as bytes, not strings, so that an event's JSON (which lives until its
 * batch is answered: long enough to be copied out of V8's young generation) takes no room in the
 * old generation: the heap holds the small entries only, and the blocks are reused.
 */
interface Block {
  readonly buf: Buffer;
  used: number;
  /** Lines of it not yet released (Batcher.release). */
  live: number;
  /** No longer the current block of its URL. */
  sealed: boolean;
}

/** A queued event: its line's place in a block, and where it goes. */
export class Entry {
  constructor(
    readonly seq: number,
    /** UTF-8 size of its JSON. */
    readonly bytes: number,
    readonly url: string,
    readonly location: string,
    readonly at: number,
    readonly block: Block,
    readonly offset: number,
  ) {}

  /** The event's JSON. Read it before the entry is released: its block is reused after that. */
  get json(): string {
    return this.block.buf.toString('utf8', this.offset, this.offset + this.bytes);
  }
}

/** Size of a block of queued lines (a longer line gets a block of its own), and free blocks kept for reuse. */
const { lineBlock: BLOCK_BYTES, freeLineBlocks: FREE_BLOCKS } = IO_BUFFERS;

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
  /** The block its next line is appended to. */
  block: Block | undefined;
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

  /** The body of a batch (its `bytes` long): a view of a buffer to give back with `release` once the request is over. */
  take(batch: Batch): Buffer {
    const { entries, bytes: size } = batch;
    const buffer = size <= this.maxBytes ? (this.free.pop() ?? Buffer.allocUnsafeSlow(this.maxBytes)) : Buffer.allocUnsafeSlow(size);
    let at = 0;
    buffer[at++] = 0x5b; // [
    for (let i = 0; i < entries.length; i++) {
      if (i > 0) buffer[at++] = 0x2c; // ,
      const e = entries[i]!;
      at += e.block.buf.copy(buffer, at, e.offset, e.offset + e.bytes);
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

  /** Queues a spooled event: its JSON (`bytes`: its UTF-8 size) is copied into its URL's block. */
  add(seq: number, json: string, bytes: number, url: string, location: string, at: number): void {
    let q = this.queues.get(url);
    if (!q) {
      q = { entries: [], block: undefined, head: 0, bytes: 0, cap: this.limits.maxEvents };
      this.queues.set(url, q);
      this.order.push(url);
    }
    let block = q.block;
    if (block === undefined || block.used + bytes > block.buf.length) {
      if (block !== undefined) this.seal(block);
      block = q.block = this.newBlock(bytes);
    }
    const offset = block.used;
    block.used += block.buf.write(json, offset, 'utf8');
    block.live++;
    q.entries.push(new Entry(seq, bytes, url, location, at, block, offset));
    q.bytes += bytes + 1;
    this.count++;
  }

  /** Entries that are done (delivered or dead-lettered): their blocks may be reused once every line of them is. */
  release(entries: readonly Entry[]): void {
    for (const e of entries) {
      const block = e.block;
      if (--block.live > 0) continue;
      if (block.sealed) this.recycle(block);
      else block.used = 0;
    }
  }

  private readonly free: Block[] = [];

  private newBlock(bytes: number): Block {
    if (bytes <= BLOCK_BYTES) {
      const reused = this.free.pop();
      if (reused) return reused;
    }
    return { buf: Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, bytes)), used: 0, live: 0, sealed: false };
  }

  private seal(block: Block): void {
    block.sealed = true;
    if (block.live === 0) this.recycle(block);
  }

  private recycle(block: Block): void {
    if (block.buf.length !== BLOCK_BYTES || this.free.length >= FREE_BLOCKS) return;
    block.used = 0;
    block.sealed = false;
    this.free.push(block);
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
