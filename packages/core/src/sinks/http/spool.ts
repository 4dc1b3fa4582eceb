import fsp from 'node:fs/promises';
import path from 'node:path';
import { RegtrailError } from '../../errors.js';
import { IO_BUFFERS } from '../../hot-state.js';
import { SpoolLock } from './lock.js';
import { RangeSet } from './range-set.js';
import { scanSegment } from './segment-scan.js';

/**
 * The write-ahead spool: every event is appended to a segment file and fsync'ed before the
 * caller hears that it was accepted; an acknowledgement file records which sequence numbers are
 * done (delivered, or safe in the dead-letter file). After a crash, whatever the segments hold
 * and the acknowledgement file does not list is sent again (at least once).
 *
 *   <dir>/lock-<generation>         the lock: pid of the process that owns the spool, or free (lock.ts)
 *   <dir>/seg-<first seq>.ndjson    segments: one line per event, `<seq> <event JSON>`
 *   <dir>/ack.json                  {"version":1,"next":N,"done":[[a,b],...],"segments":{name:[bytes,last]}},
 *                                   replaced atomically; segments: each live segment's synced size and last seq
 *   <dir>/quarantine/<seg>.at-<n>   bytes of a segment found damaged at byte offset n (segment-scan.ts)
 *
 * Segments are append-only and never reopened for writing: a new process starts a new segment,
 * so a line torn by a crash is only ever at the end of an old segment, where it is skipped (it
 * was never fsync'ed, so it was never acknowledged). A segment whose every sequence number is
 * done is deleted.
 */

export interface SpoolRecord {
  readonly seq: number;
  readonly json: string;
}

/**
 * Where a reader of the spool is (see `Spool.read`): the segment, named by its first sequence
 * number, and the byte offset of the next line in it.
 */
export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

export interface SpoolOpened {
  readonly spool: Spool;
  /** Spooled events never acknowledged as done, oldest first. */
  readonly recovered: SpoolRecord[];
  /** Events found damaged in the segments (lost), and the quarantine files that keep their bytes. */
  readonly lost: number;
  readonly quarantined: string[];
}

interface Segment {
  readonly file: string;
  readonly first: number;
  /** Highest seq written to it so far; first - 1 while empty. */
  last: number;
  size: number;
}

interface PendingAppend {
  readonly json: string;
  readonly resolve: (seq: number) => void;
  readonly reject: (err: unknown) => void;
}

export interface SpoolOptions {
  /** Start a new segment once the current one holds this many bytes. */
  readonly segmentBytes: number;
  /** How long acknowledgements may wait before the ack file is rewritten. */
  readonly ackIntervalMs: number;
  /** Called with a one-line note about recovery or a problem. */
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Size of the block that appends are encoded into and written from (Spool.block). */
const BLOCK_BYTES = IO_BUFFERS.spoolBlock;

const SEGMENT = /^seg-(\d{1,20})\.ndjson$/;
const ACK_FILE = 'ack.json';
const QUARANTINE_DIR = 'quarantine';

function segmentName(first: number): string {
  return `seg-${String(first).padStart(16, '0')}.ndjson`;
}

/** Adds the path to a file system error that lacks it. */
function at(file: string): (err: NodeJS.ErrnoException) => never {
  return (err) => {
    err.path ??= file;
    throw err;
  };
}

/** Writes a file and syncs it. */
async function writeWhole(file: string, data: Buffer): Promise<void> {
  const handle = await fsp.open(file, 'w').catch(at(file));
  try {
    await handle.writeFile(data).catch(at(file));
    await handle.sync().catch(at(file));
  } finally {
    await handle.close();
  }
}

/**
 * Reads bytes [start, end) of a file and, when they end inside a line, on up to the end of that
 * line (never past `limit`): whole lines only.
 */
async function readRange(file: string, start: number, end: number, limit: number): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let pos = start;
    let want = end;
    for (;;) {
      const buf = Buffer.alloc(want - pos);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await handle.read(buf, got, buf.length - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      chunks.push(buf.subarray(0, got));
      pos += got;
      // A line ends in what was read: the lines up to it are whole.
      if (got < buf.length || pos >= limit || buf.subarray(0, got).includes(0x0a)) break;
      want = Math.min(limit, pos + 64 * 1024);
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not every platform can fsync a directory; the data itself is synced anyway.
  } finally {
    await handle?.close();
  }
}

export class Spool {
  private readonly segments: Segment[] = [];
  private active: { segment: Segment; handle: fsp.FileHandle } | undefined;
  private readonly done: RangeSet;
  private nextSeq: number;
  private queue: PendingAppend[] = [];
  private committing: Promise<void> | undefined;
  /**
   * Where lines are encoded before they are written: one buffer, reused by every write (the
   * commit loop writes one block at a time), so that a group commit allocates nothing per line
   * and no buffer outlives its write. BLOCK_BYTES, or the largest single line written, if larger.
   */
  private block: Buffer | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  private ackWriting: Promise<void> = Promise.resolve();
  private ackDirty = false;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly options: SpoolOptions,
    private readonly lock: SpoolLock,
    done: RangeSet,
    nextSeq: number,
  ) {
    this.done = done;
    this.nextSeq = nextSeq;
  }

  /**
   * Opens (creating it if needed) and locks a spool directory, and returns the records that were
   * spooled but never acknowledged, oldest first.
   */
  static async open(dir: string, options: SpoolOptions): Promise<SpoolOpened> {
    let lock: SpoolLock;
    try {
      await fsp.mkdir(dir, { recursive: true });
      lock = await SpoolLock.take(dir);
    } catch (err) {
      throw spoolError(dir, err);
    }
    try {
      return await Spool.recover(dir, options, lock);
    } catch (err) {
      await lock.release().catch(() => undefined);
      throw spoolError(dir, err);
    }
  }

  private static async recover(dir: string, options: SpoolOptions, lock: SpoolLock): Promise<SpoolOpened> {
    let done = new RangeSet();
    let next = 1;
    const recordedSegments = new Map<string, { bytes: number; last: number }>();
    try {
      const ack = JSON.parse(await fsp.readFile(path.join(dir, ACK_FILE), 'utf8')) as { next?: unknown; done?: unknown; segments?: unknown };
      if (ack.segments && typeof ack.segments === 'object') {
        for (const [name, value] of Object.entries(ack.segments)) {
          if (SEGMENT.test(name) && Array.isArray(value) && Number.isSafeInteger(value[0]) && Number.isSafeInteger(value[1])) recordedSegments.set(name, { bytes: value[0], last: value[1] });
        }
      }
      if (Array.isArray(ack.done)) {
        done = RangeSet.from(ack.done.filter((r): r is [number, number] => Array.isArray(r) && Number.isSafeInteger(r[0]) && Number.isSafeInteger(r[1])));
      }
      if (Number.isSafeInteger(ack.next)) next = Math.max(next, ack.next as number);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        // A damaged ack file costs duplicates, never losses: everything spooled is sent again.
        options.log?.('warn', `spool ${dir}: unreadable ${ACK_FILE}, resending every spooled event`);
        done = new RangeSet();
      }
    }

    const names = (await fsp.readdir(dir)).filter((n) => SEGMENT.test(n)).sort();
    const recovered: SpoolRecord[] = [];
    const spool = new Spool(dir, options, lock, done, next);
    let lost = 0;
    const quarantined: string[] = [];
    let rewritten = false;
    for (const [index, name] of names.entries()) {
      const file = path.join(dir, name);
      const first = Number(SEGMENT.exec(name)![1]);
      const buf = await fsp.readFile(file).catch(at(file));
      const nextName = names[index + 1];
      const scan = scanSegment(buf, {
        first,
        recorded: recordedSegments.get(name),
        nextFirst: nextName === undefined ? undefined : Number(SEGMENT.exec(nextName)![1]),
        isDone: (seq) => done.has(seq),
      });
      const segment: Segment = { file, first, last: scan.last, size: buf.length };
      for (const r of scan.records) if (!done.has(r.seq)) recovered.push({ seq: r.seq, json: r.json });
      if (scan.torn) options.log?.('info', `spool ${dir}: skipped an incomplete line at the end of ${name} (a write cut short by a crash; never acknowledged)`);
      for (const d of scan.damage) {
        lost += d.lost;
        let kept = '';
        if (d.bytes > 0) {
          const qdir = path.join(dir, QUARANTINE_DIR);
          await fsp.mkdir(qdir, { recursive: true }).catch(at(qdir));
          const qfile = path.join(qdir, `${name}.at-${d.offset}`);
          await writeWhole(qfile, buf.subarray(d.offset, d.offset + d.bytes));
          quarantined.push(qfile);
          kept = `; the damaged bytes are kept in ${qfile}`;
        }
        const what = d.bytes > 0 ? `${d.bytes} damaged byte(s) at byte offset ${d.offset}` : `cut short at byte offset ${d.offset}`;
        options.log?.('error', `spool ${dir}: segment ${name} is damaged (${what}): ${d.exact ? '' : 'at least '}${d.lost} event(s) lost${kept}`);
      }
      if (scan.torn || scan.damage.length) {
        // Keep only the whole lines, so that the damage is reported once and the segment is clean.
        const whole = Buffer.concat(scan.records.map((r) => (buf[r.end - 1] === 0x0a ? buf.subarray(r.start, r.end) : Buffer.concat([buf.subarray(r.start, r.end), Buffer.from('\n')]))));
        await writeWhole(`${file}.tmp`, whole);
        await fsp.rename(`${file}.tmp`, file).catch(at(file));
        segment.size = whole.length;
        rewritten = true;
      }
      spool.nextSeq = Math.max(spool.nextSeq, segment.last + 1);
      spool.segments.push(segment);
    }
    spool.nextSeq = Math.max(spool.nextSeq, (done.max() ?? 0) + 1);
    recovered.sort((a, b) => a.seq - b.seq);
    if (recovered.length) options.log?.('info', `spool ${dir}: recovered ${recovered.length} unconfirmed event(s)`);
    if (rewritten) {
      await fsyncDir(dir);
      // The record of each segment's size must match the rewritten files before anything else happens.
      spool.ackDirty = true;
      await spool.persist();
    } else {
      await spool.collect();
    }
    return { spool, recovered, lost, quarantined };
  }

  /** Sequence number of the last append written. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Appends one event (its JSON, one line) and resolves with its sequence number once it is on
   * disk (written and fdatasync'ed). Appends that arrive while a sync is running share the next
   * one (group commit). Sequence numbers are given as lines are written, so a failed write uses
   * none: the numbers in the spool have no gaps, and a gap means lost lines.
   */
  append(json: string): Promise<number> {
    if (this.closed) return Promise.reject(new RegtrailError('SINK_CLOSED', 'the spool is closed'));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ json, resolve, reject });
      this.committing ??= this.commitLoop();
    });
  }

  private async commitLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        await this.writeBatch(batch);
      }
    } finally {
      this.committing = undefined;
    }
  }

  /**
   * Writes a batch in blocks, one segment at a time; each block is resolved once it is synced.
   * When a block fails (a full disk), the segment is cut back to its last whole line, so that the
   * next append cannot be glued onto a partial one, and the rest of the batch is rejected.
   */
  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    let i = 0;
    try {
      while (i < batch.length) {
        if (!this.active || this.active.segment.size >= this.options.segmentBytes) await this.roll(this.nextSeq);
        const { segment, handle } = this.active!;
        const room = this.options.segmentBytes - segment.size;
        let bytes = 0;
        let seq = this.nextSeq;
        let end = i;
        try {
          // The lines that fit the segment (at least one), encoded into the block and written block by block.
          let full = false;
          while (!full && end < batch.length) {
            let block = this.block;
            let used = 0;
            while (end < batch.length) {
              const json = batch[end]!.json;
              const seqText = String(seq);
              const need = seqText.length + Buffer.byteLength(json) + 2;
              if (bytes + used > 0 && bytes + used + need > room) {
                full = true;
                break;
              }
              if (block === undefined || used + need > block.length) {
                if (used > 0) break;
                block = this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, need));
              }
              used += block.write(seqText, used, 'latin1');
              block[used++] = 0x20;
              used += block.write(json, used, 'utf8');
              block[used++] = 0x0a;
              seq++;
              end++;
            }
            let offset = 0;
            while (offset < used) {
              const { bytesWritten } = await handle.write(block!, offset, used - offset, null);
              offset += bytesWritten;
            }
            bytes += used;
          }
          await handle.datasync();
        } catch (err) {
          await this.cutBack(segment, handle);
          throw err;
        }
        const first = this.nextSeq;
        this.nextSeq = seq;
        segment.size += bytes;
        segment.last = seq - 1;
        for (let k = i; k < end; k++) batch[k]!.resolve(first + (k - i));
        i = end;
      }
    } catch (err) {
      for (let k = i; k < batch.length; k++) batch[k]!.reject(err);
    }
  }

  /**
   * After a failed write: cuts the segment back to its last synced whole line. Should even that
   * fail, the segment is left (its torn end is after every acknowledged line, where recovery
   * expects one) and the next append starts a new one.
   */
  private async cutBack(segment: Segment, handle: fsp.FileHandle): Promise<void> {
    try {
      await handle.truncate(segment.size);
      return;
    } catch (err) {
      this.options.log?.('warn', `spool ${this.dir}: cannot cut ${path.basename(segment.file)} back after a failed write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); starting a new segment`);
    }
    if (this.active?.handle === handle) this.active = undefined;
    await handle.close().catch(() => undefined);
    if (segment.last < segment.first) {
      // Empty but for the torn write: its name would be the next segment's.
      this.segments.splice(this.segments.indexOf(segment), 1);
      await fsp.rm(segment.file, { force: true }).catch(() => undefined);
    }
  }

  /** Closes the current segment and starts a new one whose first seq is `first`. */
  private async roll(first: number): Promise<void> {
    const previous = this.active?.handle;
    this.active = undefined;
    await previous?.close();
    const file = path.join(this.dir, segmentName(first));
    const handle = await fsp.open(file, 'a');
    // The new directory entry must survive a power cut too.
    await fsyncDir(this.dir);
    const segment: Segment = { file, first, last: first - 1, size: 0 };
    this.segments.push(segment);
    this.active = { segment, handle };
  }

  /**
   * Reads the synced lines after `from` (undefined: from the oldest live segment), about
   * `maxBytes` of them (at least one line when there is one), and where to read next. Lines
   * appended after the spool was opened are read too, once they are synced; a segment deleted
   * meanwhile (every line in it done) is passed over. Lines already done are skipped. For a
   * reader that delivers the spool in order while appends go on (the JetStream sink's overflow).
   */
  async read(from: SpoolPosition | undefined, maxBytes: number): Promise<{ records: SpoolRecord[]; position: SpoolPosition }> {
    let position = from ?? { segment: this.segments[0]?.first ?? this.nextSeq, offset: 0 };
    for (;;) {
      // Segments are in order of their first number; the reader's own, or the next one if it is gone.
      const index = this.segments.findIndex((s) => s.first >= position.segment);
      if (index < 0) return { records: [], position };
      const segment = this.segments[index]!;
      if (segment.first !== position.segment) position = { segment: segment.first, offset: 0 };
      const size = segment.size;
      if (position.offset < size) {
        let buf: Buffer;
        try {
          buf = await readRange(segment.file, position.offset, Math.min(size, position.offset + Math.max(1, maxBytes)), size);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          // Deleted while we read: every line of it was done.
          position = { segment: segment.first + 1, offset: 0 };
          continue;
        }
        const records: SpoolRecord[] = [];
        let start = 0;
        for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
          const line = buf.toString('utf8', start, nl);
          start = nl + 1;
          const space = line.indexOf(' ');
          const seq = Number(line.slice(0, space));
          // The lines below a segment's synced size are whole: written by append, or checked at open.
          if (space > 0 && Number.isSafeInteger(seq) && !this.done.has(seq)) records.push({ seq, json: line.slice(space + 1) });
        }
        position = { segment: segment.first, offset: position.offset + start };
        if (records.length || start > 0) return { records, position };
      }
      const next = this.segments[index + 1];
      // The end of the active segment (or of the last one): nothing more for now.
      if (!next || this.active?.segment === segment) return { records: [], position };
      position = { segment: next.first, offset: 0 };
    }
  }

  /** Records sequence numbers as done; the ack file is rewritten soon after. */
  markDone(seqs: Iterable<number>): void {
    for (const s of seqs) this.done.add(s);
    this.ackDirty = true;
    if (!this.ackTimer && !this.closed) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = undefined;
        void this.persist().catch((err) => this.options.log?.('warn', `spool ${this.dir}: could not write ${ACK_FILE}: ${String((err as Error).message)}`));
      }, this.options.ackIntervalMs);
      this.ackTimer.unref();
    }
  }

  isDone(seq: number): boolean {
    return this.done.has(seq);
  }

  /** Writes the ack file (atomically) and deletes the segments that are fully done. */
  persist(): Promise<void> {
    this.ackWriting = this.ackWriting.then(async () => {
      if (!this.ackDirty) return;
      this.ackDirty = false;
      await this.collect();
      const live = this.segments[0]?.first ?? this.nextSeq;
      this.done.pruneBelow(live);
      // Each segment's synced size and last number: a segment found shorter later was cut, and that many events are lost.
      const segments = Object.fromEntries(this.segments.map((g) => [path.basename(g.file), [g.size, g.last]]));
      const text = JSON.stringify({ version: 1, next: this.nextSeq, done: this.done.toJSON(), segments });
      const file = path.join(this.dir, ACK_FILE);
      const tmp = `${file}.tmp`;
      const handle = await fsp.open(tmp, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(tmp, file);
    });
    return this.ackWriting;
  }

  /** Deletes the segments every line of which is done; the active one only when idle. */
  private async collect(): Promise<void> {
    const keep: Segment[] = [];
    for (const segment of this.segments) {
      const empty = segment.last < segment.first;
      const finished = !empty && this.done.covers(segment.first, segment.last);
      const isActive = this.active?.segment === segment;
      if (finished && isActive && (this.committing || this.queue.length)) {
        keep.push(segment);
      } else if (finished || (empty && !isActive)) {
        if (isActive) {
          // Forget it before awaiting, so that an append arriving meanwhile starts a new segment.
          const { handle } = this.active!;
          this.active = undefined;
          await handle.close();
        }
        await fsp.rm(segment.file, { force: true });
      } else {
        keep.push(segment);
      }
    }
    this.segments.splice(0, this.segments.length, ...keep);
  }

  /** Files of the live segments (for tests and diagnostics). */
  segmentFiles(): string[] {
    return this.segments.map((s) => s.file);
  }

  /** Waits for pending appends, writes the ack file, releases the segment and the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.committing) await this.committing;
    this.closed = true;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.ackDirty = true;
    await this.persist();
    const handle = this.active?.handle;
    this.active = undefined;
    await handle?.close();
    await this.lock.release();
  }
}

/** Codes that read as a sentence about the path ("… is a directory"), and the others ("…: no space left"). */
const STATE: Record<string, string> = { EISDIR: 'is a directory', ENOTDIR: 'is not a directory (or a parent is a file)', ENOENT: 'does not exist' };
const PROBLEM: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
};

/** What went wrong with a file, in a few words: the path and what the code means. */
export function fileProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const where = e?.path ?? '';
  if (e?.code && STATE[e.code]) return `${where || 'the path'} ${STATE[e.code]} (${e.code})`;
  const text = e?.code ? `${PROBLEM[e.code] ? `${PROBLEM[e.code]} ` : ''}(${e.code})`.trim() : String(e?.message ?? err);
  return where ? `${where}: ${text}` : text;
}

/** An error of opening the spool as a RegtrailError, one line naming the path (a RegtrailError stays as it is). */
function spoolError(dir: string, err: unknown): RegtrailError {
  if (err instanceof RegtrailError) return err;
  return new RegtrailError('SPOOL_FAILED', `cannot open the spool ${dir}: ${fileProblem(err)}`, { cause: err });
}
