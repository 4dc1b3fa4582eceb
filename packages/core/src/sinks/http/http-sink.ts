import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { RegtrailError } from '../../errors.js';
import type { ActivityEvent } from '../../event/types.js';
import type { EventSink } from '../sink.js';
import { BatchBodies, Batcher, Entry, type Batch } from './batcher.js';
import { DeadLetter } from './dead-letter.js';
import { resolveOptions, type HttpSinkLogLevel, type HttpSinkOptions, type HttpSinkStats, type ResolvedOptions } from './options.js';
import { redactor, type Redactor } from './redact.js';
import { composedLine } from '../../event/serialize.js';
import { backoffDelay, classify, sleep, type Verdict } from './retry.js';
import { PendingWrites } from './pending-writes.js';
import { createRouter, type Route } from './route.js';
import { Agent, request } from '../../undici.js';
import { SeqMap } from './seq-map.js';
import { fileProblem, Spool } from './spool.js';

export interface HttpSink extends EventSink {
  /**
   * Resolves once the event is safe: fsync'ed in the spool, or (when it can never be delivered:
   * too large, no route) fsync'ed in the dead-letter file. Waits while the in-memory queue is full.
   * Rejects (RegtrailError) only for what cannot be written anywhere: not an object, not JSON.
   */
  write(event: ActivityEvent): Promise<void>;
  /**
   * Like `write`, but resolves only once this event is delivered (the endpoint answered 2xx) or
   * fsync'ed in the dead-letter file: for a caller that acknowledges its source per event (the
   * JetStream relay). Rejects SINK_CLOSED when the sink closes first; the event then stays in the
   * spool (with `writeAhead`) or is dropped from memory (without).
   */
  send(event: ActivityEvent): Promise<void>;
  /**
   * `send` for an event that is JSON text already (a message read from a stream): parsed to check
   * it is one JSON object and to route it, then sent as it is rather than serialized again (text
   * with a line break, or without an `id`, is serialized again). Rejects BAD_EVENT for text that
   * is not one JSON object.
   */
  sendText(text: string): Promise<void>;
  /** Resolves when every event written before the call is delivered or dead-lettered; rejects FLUSH_TIMEOUT after `timeoutMs`. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Flushes (with the same time limit), then stops sending and releases the spool. What was not delivered stays in the spool. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  stats(): HttpSinkStats;
  /** Resolves when the spool is open and what an earlier run left is queued again (at once without `writeAhead`). */
  readonly ready: Promise<void>;
  /** The dead-letter file. */
  readonly deadLetterFile: string;
}

/** What `write` resolves to once the event is spooled. */
const noValue = (): undefined => undefined;

interface Waiter {
  /** Waits for every event taken up to this sequence number (those outstanding when the flush began). */
  readonly upTo: number;
  readonly resolve: () => void;
}

/** What the sink needs of a spool: the write-ahead one on disk, or the memory queue of `writeAhead: false`. */
interface Queue {
  append(json: string): Promise<number>;
  markDone(seqs: Iterable<number>): void;
  close(): Promise<void>;
}

/** `writeAhead: false`: sequence numbers only; the events themselves wait in the batcher's memory. */
class MemoryQueue implements Queue {
  private next = 1;
  append(): Promise<number> {
    return Promise.resolve(this.next++);
  }
  markDone(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface RoomWaiter {
  readonly bytes: number;
  readonly resolve: () => void;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return `${err.message} (${code ? `${code}: ` : ''}${cause.message})`;
  }
  return err.message;
}

/**
 * An event sink that delivers to HTTP ingestion endpoints without losing events: a write-ahead
 * spool on disk, batches per event location, retries with backoff, and a dead-letter file for
 * what the endpoint refuses. See the README section "Delivery".
 */
export function createHttpSink(options: HttpSinkOptions): HttpSink {
  return new HttpSinkImpl(options);
}

class HttpSinkImpl implements HttpSink {
  private readonly opening: Promise<void>;
  private openingSeen = false;
  /** The spool is open (`opening` fulfilled): writes then go on without waiting for it. */
  private opened = false;
  readonly deadLetterFile: string;
  private readonly o: ResolvedOptions;
  private readonly redact: Redactor;
  private readonly logFn: ((level: HttpSinkLogLevel, message: string) => void) | undefined;
  private readonly route: (event: ActivityEvent) => Route;
  private readonly batcher: Batcher;
  private readonly bodies: BatchBodies;
  private readonly deadLetter: DeadLetter;
  private readonly headers: Record<string, string>;
  private readonly onProgress: ((stats: HttpSinkStats) => void) | undefined;
  private spool: Queue | undefined;
  /** `send` calls waiting for their event: seq → settle (one entry per event, removed when done). */
  private readonly sent = new SeqMap<{ resolve: () => void; reject: (err: unknown) => void }>();

  /** Spooled, not yet done; seq → bytes. */
  private readonly outstanding = new SeqMap<number>();
  private queuedEvents = 0;
  private queuedBytes = 0;
  private roomWaiters: RoomWaiter[] = [];
  private roomHead = 0;
  private doneWaiters: Waiter[] = [];
  private readonly writes = new PendingWrites();
  private readonly deliveries = new Set<Promise<void>>();
  private inflight = 0;
  private flushing = 0;
  private keepAlive: NodeJS.Timeout | undefined;
  private roomKeepAlive: NodeJS.Timeout | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private ageTimerAt = Infinity;
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  /**
   * The sink's own connection pool (undici): keep-alive connections to each ingestion endpoint,
   * closed with the sink. undici's request sends the body buffer as it is (fetch copies it) and
   * never follows a redirect.
   */
  private readonly agent = new Agent({ keepAliveTimeout: 30_000 });
  private closed = false;
  private stopped = false;
  private closing: Promise<void> | undefined;
  private readonly counters = { sent: 0, retried: 0, spooled: 0, recovered: 0, lost: 0, deadLettered: 0, requests: 0, failedRequests: 0 };

  constructor(options: HttpSinkOptions) {
    this.o = resolveOptions(options);
    this.redact = redactor([this.o.token]);
    const log = options.log === false ? undefined : (options.log ?? defaultLog);
    this.logFn = log;
    this.onProgress = options.onProgress;
    this.route = createRouter(this.o.url);
    this.batcher = new Batcher(this.o.batch);
    this.bodies = new BatchBodies(this.o.batch.maxBytes, this.o.concurrency);
    this.deadLetterFile = this.o.deadLetterFile;
    this.deadLetter = new DeadLetter(this.o.deadLetterFile, this.redact);
    this.headers = {
      'content-type': 'application/json',
      'user-agent': 'regtrail-http-sink',
      ...this.o.headers,
      ...(this.o.token ? { authorization: `Bearer ${this.o.token}` } : {}),
    };
    this.opening = this.open();
    this.opening.then(() => (this.opened = true), () => undefined);
    // Whoever awaits ready, or calls write or flush, sees an opening failure; should nobody, it is logged.
    this.opening.catch((err) => {
      if (!this.openingSeen) this.log('error', err instanceof RegtrailError ? err.message : `cannot open the spool ${this.o.spoolDir ?? ''}: ${describeError(err)}`);
    });
  }

  get ready(): Promise<void> {
    this.openingSeen = true;
    return this.opening;
  }

  private log(level: HttpSinkLogLevel, message: string): void {
    try {
      this.logFn?.(level, this.redact(message));
    } catch {
      // A failing logger must not break delivery.
    }
  }

  private async open(): Promise<void> {
    if (this.o.spoolDir === undefined) {
      this.spool = new MemoryQueue();
      return;
    }
    const { spool, recovered, lost } = await Spool.open(this.o.spoolDir, {
      segmentBytes: this.o.segmentBytes,
      ackIntervalMs: this.o.ackIntervalMs,
      log: (level, message) => this.log(level, message),
    });
    this.spool = spool;
    this.counters.lost = lost;
    const now = Date.now();
    const unroutable: { seq: number; json: string; reason: string }[] = [];
    for (const r of recovered) {
      let route: Route;
      try {
        route = this.route(JSON.parse(r.json) as ActivityEvent);
      } catch (err) {
        unroutable.push({ seq: r.seq, json: r.json, reason: describeError(err) });
        continue;
      }
      const bytes = Buffer.byteLength(r.json);
      this.outstanding.set(r.seq, bytes);
      this.queuedEvents++;
      this.queuedBytes += bytes;
      this.batcher.add(r.seq, r.json, bytes, route.url, route.location, now);
    }
    this.counters.recovered = recovered.length - unroutable.length;
    for (const u of unroutable) {
      await this.deadLetter.write([u], { status: null, reason: `cannot route: ${u.reason}`, attempts: 0 });
      spool.markDone([u.seq]);
      this.counters.deadLettered++;
    }
    this.pump();
    this.progress();
  }

  stats(): HttpSinkStats {
    return { ...this.counters, pending: this.outstanding.size };
  }

  write(event: ActivityEvent): Promise<void> {
    return this.enqueue(event, undefined, noValue);
  }

  send(event: ActivityEvent): Promise<void> {
    return this.enqueue(event, undefined, this.delivered);
  }

  sendText(text: string): Promise<void> {
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (err) {
      return Promise.reject(new RegtrailError('BAD_EVENT', this.redact(`the event is not JSON: ${describeError(err)}`)));
    }
    return this.enqueue(event as ActivityEvent, text, this.delivered);
  }

  /** Resolves once the event with this sequence number is delivered or dead-lettered. */
  private readonly delivered = (seq: number | undefined): Promise<void> | undefined => {
    // Undefined: dead-lettered at once. Not outstanding any more: already delivered.
    if (seq === undefined || !this.outstanding.has(seq)) return undefined;
    if (this.stopped) throw new RegtrailError('SINK_CLOSED', 'the HTTP sink closed before the event was delivered');
    return new Promise<void>((resolve, reject) => this.sent.set(seq, { resolve, reject }));
  }

  /**
   * Spools and queues the event (doWrite), counted as a write in progress until that settles, then
   * `then(seq)`. One promise per event: each lives through the spool's group commit.
   */
  private enqueue(event: ActivityEvent, text: string | undefined, then: (seq: number | undefined) => Promise<void> | undefined): Promise<void> {
    if (this.closed) return Promise.reject(new RegtrailError('SINK_CLOSED', 'write after close: the HTTP sink is closed'));
    const g = this.writes.begin();
    return this.doWrite(event, text).then(
      (seq) => {
        this.writes.end(g);
        return then(seq);
      },
      (err: unknown) => {
        this.writes.end(g);
        throw err;
      },
    );
  }

  /**
   * Spools the event and queues it for delivery: its sequence number, or undefined when it went
   * straight to the dead letter. Everything that reads the event object happens before the first
   * await: the event is not kept alive while the spool's group commit runs, so (with the emitter's
   * own line) it dies young instead of being copied into the old generation with each write.
   */
  private doWrite(event: ActivityEvent, text?: string): Promise<number | undefined> {
    if (!event || typeof event !== 'object' || Array.isArray(event)) {
      return Promise.reject(new RegtrailError('BAD_EVENT', `an event must be an object, not ${Array.isArray(event) ? 'an array' : event === null ? 'null' : typeof event}`));
    }
    let json: string;
    // JSON text given (sendText) goes as it is when it is one line (the spool is NDJSON) and has an id.
    if (text !== undefined && event.id && text.indexOf('\n') === -1 && text.indexOf('\r') === -1) json = text;
    else {
      try {
        // Every event gets an id before it is spooled, so that retries and resends carry the same one.
        // The emitter's own line when it hands over the event it composed (the same bytes).
        const serialized: unknown = (event.id ? composedLine(event) : undefined) ?? JSON.stringify(event.id ? event : { ...event, id: randomUUID() });
        if (typeof serialized !== 'string') throw new Error('nothing to serialize');
        json = serialized;
      } catch (err) {
        return Promise.reject(new RegtrailError('BAD_EVENT', this.redact(`the event cannot be serialized as JSON: ${describeError(err)}`)));
      }
    }
    let route: Route | string;
    try {
      route = this.route(event);
    } catch (err) {
      route = describeError(err);
    }
    return this.store(json, route);
  }

  /**
   * The part of doWrite that may wait: the size check, room in the queue, and the spool. Not an
   * async function: at a steady rate (spool open, room in the queue) it goes straight to the
   * spool, and what waits for the group commit is one reaction, not a suspended function with
   * its promise (both live through the fsync, long enough to be copied out of the young
   * generation).
   */
  private store(json: string, route: Route | string): Promise<number | undefined> {
    if (!this.opened) return this.ready.then(() => this.store(json, route));
    const bytes = Buffer.byteLength(json);
    if (bytes > this.o.maxEventBytes) {
      return this.giveUp([{ json }], { status: null, reason: `event is ${bytes} bytes; the limit (maxEventBytes) is ${this.o.maxEventBytes}`, attempts: 0 }).then(() => undefined);
    }
    if (typeof route === 'string') return this.giveUp([{ json }], { status: null, reason: `cannot route: ${route}`, attempts: 0 }).then(() => undefined);
    const room = this.acquire(bytes);
    return room ? room.then(() => this.append(json, route, bytes)) : this.append(json, route, bytes);
  }

  /** Spools an event the queue has room for, then queues it for its batch: its sequence number. */
  private append(json: string, route: Route, bytes: number): Promise<number> {
    let appended: Promise<number>;
    try {
      appended = this.spool!.append(json);
    } catch (err) {
      appended = Promise.reject(err);
    }
    return appended.then(
      (seq) => {
        this.outstanding.set(seq, bytes);
        this.counters.spooled++;
        this.batcher.add(seq, json, bytes, route.url, route.location, Date.now());
        this.pump();
        this.progress();
        return seq;
      },
      (err: unknown) => {
        this.release(1, bytes);
        if (err instanceof RegtrailError) throw err;
        throw new RegtrailError('SPOOL_FAILED', this.redact(`cannot write to the spool ${this.o.spoolDir}: ${fileProblem(err)}`), { cause: err });
      },
    );
  }

  // --- backpressure -------------------------------------------------------------------------

  private hasRoom(bytes: number): boolean {
    return this.queuedEvents < this.o.maxQueueEvents && (this.queuedEvents === 0 || this.queuedBytes + bytes <= this.o.maxQueueBytes);
  }

  private acquire(bytes: number): Promise<void> | void {
    if (this.roomHead === this.roomWaiters.length && this.hasRoom(bytes)) {
      this.queuedEvents++;
      this.queuedBytes += bytes;
      return;
    }
    // The backoff timers do not hold the process open; a writer waiting for room must.
    this.roomKeepAlive ??= setInterval(() => undefined, 1 << 30);
    return new Promise((resolve) => this.roomWaiters.push({ bytes, resolve }));
  }

  private release(events: number, bytes: number): void {
    this.queuedEvents -= events;
    this.queuedBytes -= bytes;
    while (this.roomHead < this.roomWaiters.length && this.hasRoom(this.roomWaiters[this.roomHead]!.bytes)) {
      const w = this.roomWaiters[this.roomHead++]!;
      this.queuedEvents++;
      this.queuedBytes += w.bytes;
      w.resolve();
    }
    if (this.roomHead === this.roomWaiters.length) {
      this.roomWaiters = [];
      this.roomHead = 0;
      this.stopRoomKeepAlive();
    }
  }

  private stopRoomKeepAlive(): void {
    if (this.roomKeepAlive) clearInterval(this.roomKeepAlive);
    this.roomKeepAlive = undefined;
  }

  // --- sending ------------------------------------------------------------------------------

  private pump(): void {
    if (!this.spool || this.stopped) return;
    const force = this.flushing > 0 || this.closed;
    while (this.inflight < this.o.concurrency) {
      const batch = this.batcher.take(force);
      if (!batch) break;
      this.inflight++;
      const p = this.deliver(batch)
        .catch((err) => this.log('error', `delivery to ${batch.location} failed unexpectedly: ${describeError(err)}`))
        .finally(() => {
          this.inflight--;
          this.deliveries.delete(p);
          this.pump();
        });
      this.deliveries.add(p);
    }
    this.scheduleAgeTimer();
  }

  private scheduleAgeTimer(): void {
    const deadline = this.batcher.size && this.inflight < this.o.concurrency ? this.batcher.nextDeadline() : undefined;
    if (deadline === undefined) {
      if (this.ageTimer) clearTimeout(this.ageTimer);
      this.ageTimer = undefined;
      this.ageTimerAt = Infinity;
      return;
    }
    if (this.ageTimer && this.ageTimerAt <= deadline) return;
    if (this.ageTimer) clearTimeout(this.ageTimer);
    this.ageTimerAt = deadline;
    this.ageTimer = setTimeout(() => {
      this.ageTimer = undefined;
      this.ageTimerAt = Infinity;
      this.pump();
    }, Math.max(0, deadline - Date.now()));
    this.ageTimer.unref();
  }

  private async deliver(batch: Batch): Promise<void> {
    const body = this.bodies.take(batch);
    // Reused for another batch only when its last request was answered and the answer read: after
    // a network error or an abort, a connection might still be reading it.
    const last = { answered: false };
    try {
      await this.attempt(batch, body, last);
    } finally {
      if (last.answered) this.bodies.release(body);
    }
  }

  private async attempt(batch: Batch, body: Buffer, last: { answered: boolean }): Promise<void> {
    const n = batch.entries.length;
    let attempts = 0;
    for (;;) {
      if (this.stopped) return; // stays in the spool for the next run
      attempts++;
      if (attempts > 1) this.counters.retried += n;
      this.counters.requests++;
      let verdict: Verdict;
      let status: number | null = null;
      let reason: string;
      last.answered = false;
      try {
        const response = await request(this.agent, batch.url, {
          method: 'POST',
          headers: this.headers,
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.o.requestTimeoutMs)]),
        });
        status = response.statusCode;
        // Reading the body lets the connection be reused, and says why a batch was refused.
        let read = true;
        const text = await response.body.text().catch(() => {
          read = false;
          return '';
        });
        last.answered = read;
        verdict = classify(status, header(response.headers['retry-after']));
        // Never followed: a redirect would be repeated as a body-less GET, and its final answer
        // would count as delivery of events nobody received.
        const location = status >= 300 && status < 400 ? header(response.headers.location) : null;
        const statusText = STATUS_CODES[status];
        reason = `HTTP ${status}${statusText ? ` ${statusText}` : ''}${
          location !== null ? `: the endpoint redirects to ${oneLine(location, 300)}; ingestion never follows redirects (point the sink at the final URL)` : text.trim() ? `: ${oneLine(text, 300)}` : ''
        }`;
      } catch (err) {
        if (this.stopped) return;
        verdict = { kind: 'retry' };
        reason = `network error: ${describeError(err)}`;
      }
      switch (verdict.kind) {
        case 'delivered':
          this.counters.sent += n;
          this.finish(batch.entries);
          return;
        case 'split': {
          if (n === 1) {
            await this.giveUp(batch.entries, { status, reason: `the endpoint refused the event as too large: ${reason}`, attempts, url: batch.url, location: batch.location });
            return;
          }
          this.batcher.shrink(batch.url, n);
          const half = Math.ceil(n / 2);
          this.log('debug', `${batch.location}: ${reason} for ${n} events; splitting the batch`);
          for (const entries of [batch.entries.slice(0, half), batch.entries.slice(half)]) {
            await this.deliver({ ...batch, entries, bytes: entries.reduce((b, e) => b + e.bytes + 1, 1) });
          }
          return;
        }
        case 'reject':
          await this.giveUp(batch.entries, { status, reason, attempts, url: batch.url, location: batch.location });
          return;
        case 'retry': {
          this.counters.failedRequests++;
          if (attempts >= this.o.retry.maxAttempts) {
            await this.giveUp(batch.entries, { status, reason: `gave up after ${attempts} attempts; last: ${reason}`, attempts, url: batch.url, location: batch.location });
            return;
          }
          const delay = backoffDelay(this.o.retry, attempts, verdict.retryAfterMs);
          this.log('debug', `${batch.location}: ${reason}; retrying ${n} events in ${delay} ms (attempt ${attempts + 1})`);
          this.progress();
          try {
            await sleep(delay, this.abort.signal);
          } catch {
            return;
          }
        }
      }
    }
  }

  /** Writes events to the dead-letter file; spooled ones are then done. */
  private async giveUp(
    entries: readonly { json: string; seq?: number; bytes?: number }[],
    info: { status: number | null; reason: string; attempts: number; url?: string; location?: string },
  ): Promise<void> {
    const reason = this.redact(info.reason);
    try {
      await this.deadLetter.write(entries, { ...info, reason });
    } catch (err) {
      // Not on disk anywhere else: spooled events stay in the spool (and pending), others fail the write.
      this.log('error', `cannot write the dead-letter file ${this.deadLetterFile}: ${describeError(err)}; ${entries.length} event(s) kept in the spool`);
      if (entries.some((e) => e.seq === undefined)) {
        throw new RegtrailError('DEAD_LETTER_FAILED', this.redact(`cannot write the dead-letter file ${this.deadLetterFile}: ${describeError(err)}`));
      }
      return;
    }
    this.counters.deadLettered += entries.length;
    this.log('warn', `${entries.length} event(s) written to the dead-letter file ${this.deadLetterFile}${info.status ? ` (HTTP ${info.status})` : ''}: ${reason}`);
    const spooled = entries.filter((e): e is Entry => e instanceof Entry);
    if (spooled.length) this.finish(spooled);
    else this.progress();
  }

  /** Spooled events that are delivered or dead-lettered. */
  private finish(entries: readonly Entry[]): void {
    let bytes = 0;
    const seqs = entries.map((e) => e.seq);
    for (const e of entries) {
      bytes += this.outstanding.get(e.seq) ?? e.bytes;
      this.outstanding.delete(e.seq);
    }
    this.spool?.markDone(seqs);
    this.batcher.release(entries);
    this.release(entries.length, bytes);
    if (this.sent.size) {
      for (const s of seqs) {
        const w = this.sent.get(s);
        if (w) {
          this.sent.delete(s);
          w.resolve();
        }
      }
    }
    if (this.doneWaiters.length) {
      const lowest = this.outstanding.min() ?? Infinity;
      const still: Waiter[] = [];
      for (const w of this.doneWaiters) (lowest <= w.upTo ? still.push(w) : w.resolve());
      this.doneWaiters = still;
    }
    this.progress();
  }

  // --- flush, close, progress -------------------------------------------------------

  async flush(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.o.flushTimeoutMs;
    this.flushing++;
    this.keepAlive ??= setInterval(() => undefined, 1 << 30);
    let waiter: Waiter | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = (async () => {
        await this.ready;
        this.pump();
        await this.writes.settled();
        this.pump();
        if (!this.outstanding.size) return;
        await new Promise<void>((resolve) => {
          waiter = { upTo: this.outstanding.highest, resolve };
          this.doneWaiters.push(waiter);
        });
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new RegtrailError(
                'FLUSH_TIMEOUT',
                `${this.outstanding.size} event(s) not delivered after ${timeoutMs} ms; ${
                  this.o.spoolDir === undefined ? 'they were held in memory only (writeAhead: false)' : `they stay in the spool ${this.o.spoolDir} and are sent when a sink next opens it`
                }`,
              ),
            ),
          timeoutMs,
        );
      });
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      if (waiter) this.doneWaiters = this.doneWaiters.filter((w) => w !== waiter);
      this.flushing--;
      if (!this.flushing && this.keepAlive) {
        clearInterval(this.keepAlive);
        this.keepAlive = undefined;
      }
      this.emitProgress();
    }
  }

  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closing ??= this.doClose(options);
    return this.closing;
  }

  private async doClose(options: { timeoutMs?: number }): Promise<void> {
    this.closed = true;
    let failure: unknown;
    try {
      await this.flush(options);
    } catch (err) {
      failure = err;
    }
    this.stopped = true;
    this.stopRoomKeepAlive();
    this.abort.abort(new RegtrailError('SINK_CLOSED', 'the HTTP sink is closed'));
    if (this.ageTimer) clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    await Promise.allSettled([...this.deliveries]);
    await this.agent.destroy().catch(() => undefined);
    const undelivered = new RegtrailError('SINK_CLOSED', 'the HTTP sink closed before the event was delivered');
    for (const w of this.sent.takeAll()) w.reject(undelivered);
    try {
      await this.spool?.close();
    } catch (err) {
      failure ??= new RegtrailError('SPOOL_FAILED', this.redact(`cannot close the spool ${this.o.spoolDir}: ${describeError(err)}`));
    }
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    this.emitProgress();
    if (failure) throw failure;
  }

  private progress(): void {
    if (!this.onProgress || this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined;
      this.emitProgress();
    }, this.o.progressIntervalMs);
    this.progressTimer.unref();
  }

  private emitProgress(): void {
    try {
      this.onProgress?.(this.stats());
    } catch (err) {
      this.log('warn', `onProgress threw: ${describeError(err)}`);
    }
  }
}

function defaultLog(level: HttpSinkLogLevel, message: string): void {
  if (level === 'warn' || level === 'error') process.stderr.write(`regtrail http sink: ${level}: ${message}\n`);
}

/** One value of a response header (the first, should it come more than once). */
function header(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
}
