import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { jetstream, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { ClosedConnectionError, type NatsConnection } from '@nats-io/transport-node';
import { createEventLocator, RegtrailError, type ActivityEvent, type EventSink } from '@regtrail/core/emit';
import { connectNats, reasonOf } from './connect.js';
import { Overflow } from './overflow.js';
import { parseServers, tokenFrom } from './servers.js';
import { checkSpec, duplicateWindowOf, ensureStream, STREAM_DEFAULTS, subjectFor, type StreamSpec } from './stream.js';

export type NatsLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Counters of a JetStream sink (the names of the HTTP sink's counters where they mean the same). */
export interface JetStreamSinkStats {
  /** Events the stream acknowledged (stored, or already held: see `duplicates`). */
  readonly sent: number;
  /** Of those, events the stream already held (same id within its duplicate window): not stored twice. */
  readonly duplicates: number;
  /** Publish attempts repeated after a failure (timeout, no responders, connection lost). */
  readonly retried: number;
  /**
   * Events not yet acknowledged by the stream: being published (in memory, at most `maxPending`;
   * writes waiting for room are not counted), and with `overflow`, those waiting in the spool.
   */
  readonly pending: number;
  /** Writes that rejected: the event was not acknowledged (refused for good, or not acknowledged before close). */
  readonly failed: number;
  /** Publish attempts, and how many of them failed. */
  readonly requests: number;
  readonly failedRequests: number;
  /** With `overflow`: events written to the spool (memory full, or publishing failed), and those found in it at open from an earlier run. */
  readonly spooled: number;
  readonly recovered: number;
  /** With `overflow`: events found damaged in the spool at open (lost). */
  readonly lost: number;
  /** Always 0: kept so that code reading an HTTP sink's counters reads these too. */
  readonly deadLettered: number;
}

export interface JetStreamSinkOptions {
  /** `nats://host:port`, or several (comma-separated or a list): the members of a cluster. */
  readonly servers: string | readonly string[];
  /** Stream name; `REGTRAIL` by default. */
  readonly stream?: string;
  /** Each event goes to `<subjectPrefix>.<location>`; `regtrail.events` by default. */
  readonly subjectPrefix?: string;
  /** Create the stream when it does not exist (default true); false: it must exist. */
  readonly createStream?: boolean;
  /** When the sink creates the stream: replicas (1), duplicate window (2 min), message age limit (7 days), size limit (none). */
  readonly replicas?: number;
  readonly duplicateWindowMs?: number;
  readonly maxAgeMs?: number;
  readonly maxBytes?: number;
  /** Events written but not yet acknowledged, at most; `write` waits while there are this many. 4,096 events / 32 MiB. */
  readonly maxPending?: number;
  readonly maxPendingBytes?: number;
  /**
   * Stack events on a local write-ahead spool (core's, as the HTTP sink's) when memory is full
   * or publishing fails (the server unreachable, at start too): `write` then resolves once the
   * event is fsync'ed there, and a drainer publishes the spooled events (same message ids, so
   * the duplicate window drops resends) and marks each done on its acknowledgement. A spool left
   * by an earlier run is published first. Without it, `write` waits for memory.
   */
  readonly overflow?: {
    readonly spoolDir: string;
    /** Start a new spool segment after this many bytes (8 MiB). */
    readonly segmentBytes?: number;
    /** How long acknowledged events may wait before the spool records them as done (200 ms). */
    readonly ackIntervalMs?: number;
  };
  /** Time limit of one publish (waiting for the stream's acknowledgement). 5,000 ms. */
  readonly publishTimeoutMs?: number;
  /** Backoff between attempts: 100 ms doubling to 5,000 ms; `maxAttempts` Infinity (keep trying). */
  readonly retry?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number; readonly maxAttempts?: number };
  /** Default time limit of `flush()` and `close()`. 30,000 ms. */
  readonly flushTimeoutMs?: number;
  /** Environment variable holding a NATS token (never logged). */
  readonly tokenEnv?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Keep trying to reach a server at start for this long (default 0: fail after one round), calling `onConnectAttempt` after each failed round. */
  readonly waitForServerMs?: number;
  readonly onConnectAttempt?: (attempt: number, reason: string) => void;
  /** Client name shown by the server; `regtrail`. */
  readonly name?: string;
  /** Called with the counters when they change (at most every `progressIntervalMs`, 100 ms) and when flush or close ends. */
  readonly onProgress?: (stats: JetStreamSinkStats) => void;
  readonly progressIntervalMs?: number;
  /** Log lines; by default warnings and errors go to stderr. `false` for none. */
  readonly log?: false | ((level: NatsLogLevel, message: string) => void);
}

export interface JetStreamSink extends EventSink {
  /**
   * Publishes the event to `<subjectPrefix>.<location>` with the event id as its message id
   * (`Nats-Msg-Id`), and resolves once the stream has acknowledged it. Waits while `maxPending`
   * events await acknowledgement; with `overflow`, resolves instead once the event is fsync'ed in
   * the spool when memory is full or the publish failed. Rejects (RegtrailError) for an event that cannot be published at
   * all (not an object, not JSON, no location, larger than the server takes), when the stream
   * refuses it for good, or when the sink is closed before the acknowledgement came.
   */
  write(event: ActivityEvent): Promise<void>;
  /** Resolves when every write made before the call has settled; rejects FLUSH_TIMEOUT after `timeoutMs`. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Flushes (with the same time limit), then closes the connection. Writes not acknowledged by then reject. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  stats(): JetStreamSinkStats;
  /**
   * Resolves once connected and the stream is there (created or checked); rejects with a
   * one-line RegtrailError. With `overflow`: once the spool is open, and an unreachable server is
   * no error (events go to the spool until it is reached); a server that refuses the stream is.
   */
  readonly ready: Promise<void>;
  /** The stream's duplicate window in ms, once ready (exactly-once into the stream holds within it). */
  readonly duplicateWindowMs: number | undefined;
}

function positive(name: string, value: number | undefined, fallback: number, infinite = false): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && (Number.isFinite(value) || (infinite && value === Infinity)))) {
    throw new RegtrailError('BAD_OPTION', `createJetStreamSink: ${name} must be a positive number${infinite ? ' or Infinity' : ''}, not ${String(value)}`);
  }
  return value;
}

/**
 * An event sink that publishes to a NATS JetStream stream: one subject per event location, the
 * event id as message id so that the stream's duplicate window drops resends (a retried publish,
 * a producer restarted with the same events), and `write` resolving on the stream's
 * acknowledgement. See the docs page "Delivery through NATS JetStream".
 */
export function createJetStreamSink(options: JetStreamSinkOptions): JetStreamSink {
  return new JetStreamSinkImpl(options);
}

class JetStreamSinkImpl implements JetStreamSink {
  readonly ready: Promise<void>;
  duplicateWindowMs: number | undefined;
  private readonly spec: StreamSpec;
  private readonly servers: string[];
  private readonly maxPending: number;
  private readonly maxPendingBytes: number;
  private readonly publishTimeoutMs: number;
  private readonly retry: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  private readonly flushTimeoutMs: number;
  private readonly progressIntervalMs: number;
  private readonly locate = createEventLocator();
  private readonly logFn: ((level: NatsLogLevel, message: string) => void) | undefined;
  private readonly onProgress: ((stats: JetStreamSinkStats) => void) | undefined;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private maxPayload = Infinity;
  private readonly writes = new Set<Promise<void>>();
  private pendingEvents = 0;
  private pendingBytes = 0;
  private roomWaiters: { bytes: number; resolve: () => void }[] = [];
  private closed = false;
  private stopped = false;
  private closing: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private progressTimer: NodeJS.Timeout | undefined;
  private lastWarnAt = 0;
  private readonly counters = { sent: 0, duplicates: 0, retried: 0, requests: 0, failedRequests: 0, failed: 0, spooled: 0, recovered: 0, lost: 0 };
  /** With `overflow`: the spool, once open. */
  private overflow: Overflow | undefined;
  private readonly overflowOptions: JetStreamSinkOptions['overflow'];
  /**
   * With `overflow`: whether a publish failed and none succeeded since (or the connection is
   * down): new writes go straight to the spool rather than each waiting for a publish timeout.
   */
  private degraded = false;
  /** With `overflow`: drained events being published (counted in `pendingEvents` and in the spool's backlog). */
  private drainingEvents = 0;
  /** With `overflow`: the drainer, and the connection attempts made in the background when the server was unreachable at start. */
  private drainer: Promise<void> | undefined;
  private connector: Promise<void> | undefined;

  constructor(o: JetStreamSinkOptions) {
    if (!o || typeof o !== 'object') throw new RegtrailError('BAD_OPTION', 'createJetStreamSink: options are required');
    this.servers = parseServers(o.servers, 'createJetStreamSink: servers');
    this.spec = checkSpec({
      name: o.stream ?? STREAM_DEFAULTS.name,
      subjectPrefix: o.subjectPrefix ?? STREAM_DEFAULTS.subjectPrefix,
      replicas: o.replicas ?? STREAM_DEFAULTS.replicas,
      duplicateWindowMs: o.duplicateWindowMs ?? STREAM_DEFAULTS.duplicateWindowMs,
      maxAgeMs: o.maxAgeMs ?? STREAM_DEFAULTS.maxAgeMs,
      maxBytes: o.maxBytes ?? STREAM_DEFAULTS.maxBytes,
    });
    this.maxPending = positive('maxPending', o.maxPending, 4096);
    this.maxPendingBytes = positive('maxPendingBytes', o.maxPendingBytes, 32 * 1024 * 1024);
    this.publishTimeoutMs = positive('publishTimeoutMs', o.publishTimeoutMs, 5000);
    this.retry = {
      baseDelayMs: positive('retry.baseDelayMs', o.retry?.baseDelayMs, 100),
      maxDelayMs: positive('retry.maxDelayMs', o.retry?.maxDelayMs, 5000),
      maxAttempts: positive('retry.maxAttempts', o.retry?.maxAttempts, Infinity, true),
    };
    this.flushTimeoutMs = positive('flushTimeoutMs', o.flushTimeoutMs, 30_000);
    this.progressIntervalMs = positive('progressIntervalMs', o.progressIntervalMs, 100);
    if (o.overflow !== undefined) {
      if (!o.overflow || typeof o.overflow.spoolDir !== 'string' || !o.overflow.spoolDir) throw new RegtrailError('BAD_OPTION', 'createJetStreamSink: overflow.spoolDir must be a directory path');
      positive('overflow.segmentBytes', o.overflow.segmentBytes, 1);
      positive('overflow.ackIntervalMs', o.overflow.ackIntervalMs, 1);
    }
    this.overflowOptions = o.overflow;
    const token = tokenFrom(o.tokenEnv, o.env);
    this.logFn = o.log === false ? undefined : (o.log ?? defaultLog);
    this.onProgress = o.onProgress;
    // Every publish waiting to retry listens for close: up to maxPending of them at once.
    setMaxListeners(this.maxPending + 16, this.abort.signal);
    this.ready = this.open(token, o);
    // Whoever calls write or flush sees an opening failure; nobody has to.
    this.ready.catch(() => undefined);
  }

  private log(level: NatsLogLevel, message: string): void {
    try {
      this.logFn?.(level, message);
    } catch {
      // A failing logger must not break delivery.
    }
  }

  private async open(token: string | undefined, o: JetStreamSinkOptions): Promise<void> {
    const ov = this.overflowOptions;
    if (ov) {
      const opened = await Overflow.open(ov.spoolDir, {
        segmentBytes: ov.segmentBytes ?? 8 * 1024 * 1024,
        ackIntervalMs: ov.ackIntervalMs ?? 200,
        log: (level, message) => this.log(level, message),
      });
      this.overflow = opened.overflow;
      this.counters.recovered = opened.recovered;
      this.counters.lost = opened.lost;
    }
    try {
      await this.link(token, o, o.waitForServerMs ?? 0, o.onConnectAttempt);
    } catch (err) {
      if (!this.overflow || !(err instanceof RegtrailError && err.code === 'NATS_UNREACHABLE') || this.stopped) {
        // Released at once: flush and close then have no spool to wait for.
        const overflow = this.overflow;
        this.overflow = undefined;
        await overflow?.close().catch(() => undefined);
        throw err;
      }
      // An outage at start is an outage like any other: the events wait in the spool.
      this.log('warn', `${err.message}; events go to the spool ${this.overflow.dir} until it is reachable`);
      this.connector = this.linkLater(token, o);
      return;
    }
    if (this.overflow) this.startDrainer();
  }

  /** Connects, checks or creates the stream, and makes the JetStream client. */
  private async link(token: string | undefined, o: JetStreamSinkOptions, waitForServerMs: number, onConnectAttempt: ((attempt: number, reason: string) => void) | undefined): Promise<void> {
    const nc = await connectNats({
      servers: this.servers,
      name: o.name ?? 'regtrail',
      token,
      waitForServerMs,
      onConnectAttempt,
      signal: this.abort.signal,
    });
    if (this.stopped) {
      await nc.close().catch(() => undefined);
      throw new RegtrailError('SINK_CLOSED', 'the JetStream sink closed while connecting');
    }
    this.nc = nc;
    try {
      const { info, created } = await ensureStream(nc, this.spec, { create: o.createStream !== false });
      this.duplicateWindowMs = duplicateWindowOf(info);
      if (created) this.log('info', `created stream ${this.spec.name} (${this.spec.subjectPrefix}.>, ${info.config.num_replicas} replica(s), duplicate window ${this.duplicateWindowMs / 1000} s)`);
    } catch (err) {
      this.nc = undefined;
      await nc.close().catch(() => undefined);
      throw err;
    }
    this.maxPayload = nc.info?.max_payload ?? Infinity;
    this.js = jetstream(nc, { timeout: this.publishTimeoutMs });
    const where = this.overflow ? `the spool ${this.overflow.dir}` : 'memory';
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.degraded = true;
          this.log('warn', `disconnected from NATS ${s.server}; reconnecting (events wait in ${where})`);
        } else if (s.type === 'reconnect') {
          this.degraded = false;
          this.log('info', `reconnected to NATS ${s.server}`);
        }
      }
    })().catch(() => undefined);
  }

  /** With `overflow`, after the server was unreachable at start: keeps trying until it is reached or the sink closes, then drains the spool. */
  private async linkLater(token: string | undefined, o: JetStreamSinkOptions): Promise<void> {
    let lastNote = Date.now();
    try {
      await this.link(token, o, Infinity, (attempt, reason) => {
        if (Date.now() - lastNote < 60_000) return;
        lastNote = Date.now();
        this.log('warn', `still cannot reach NATS at ${this.servers.join(',')} (${reason}; attempt ${attempt}); ${this.overflow!.backlog} event(s) wait in the spool ${this.overflow!.dir}`);
      });
    } catch (err) {
      if (!this.stopped) this.log('error', `${reasonOf(err)}; the events stay in the spool ${this.overflow!.dir}`);
      return;
    }
    this.log('info', `reached NATS at ${this.servers.join(',')}; publishing the ${this.overflow!.backlog} event(s) of the spool`);
    this.startDrainer();
  }

  stats(): JetStreamSinkStats {
    // Drained events being published are in memory and in the spool: counted once.
    const spooled = this.overflow ? this.overflow.backlog - this.drainingEvents : 0;
    return { ...this.counters, pending: this.pendingEvents + spooled, deadLettered: 0 };
  }

  write(event: ActivityEvent): Promise<void> {
    if (this.closed) return Promise.reject(new RegtrailError('SINK_CLOSED', 'write after close: the JetStream sink is closed'));
    const p = this.doWrite(event);
    this.writes.add(p);
    const forget = () => {
      this.writes.delete(p);
      this.progress();
    };
    p.then(forget, () => {
      this.counters.failed++;
      forget();
    });
    return p;
  }

  private async doWrite(event: ActivityEvent): Promise<void> {
    if (!event || typeof event !== 'object' || Array.isArray(event)) {
      throw new RegtrailError('BAD_EVENT', `an event must be an object, not ${Array.isArray(event) ? 'an array' : event === null ? 'null' : typeof event}`);
    }
    // Every event gets an id before its first publish, so that retries carry the same one.
    const withId = typeof event.id === 'string' && event.id ? event : { ...event, id: randomUUID() };
    let json: string;
    try {
      const serialized: unknown = JSON.stringify(withId);
      if (typeof serialized !== 'string') throw new Error('nothing to serialize');
      json = serialized;
    } catch (err) {
      throw new RegtrailError('BAD_EVENT', `the event cannot be serialized as JSON: ${reasonOf(err)}`);
    }
    let subject: string;
    try {
      subject = subjectFor(this.spec.subjectPrefix, this.locate(withId));
    } catch (err) {
      throw new RegtrailError('BAD_EVENT', `cannot route the event: ${reasonOf(err)}`);
    }
    await this.ready;
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxPayload - 512) throw new RegtrailError('BAD_EVENT', `event is ${bytes} bytes; the NATS server takes messages up to ${this.maxPayload} bytes (max_payload)`);
    const overflow = this.overflow;
    if (!overflow) {
      await this.acquire(bytes);
      try {
        await this.publish(subject, json, withId.id as string, false);
      } finally {
        this.release(bytes);
      }
      return;
    }
    // With a spool: publish at once when connected, healthy and there is room (the drainer, when
    // it waits for room, goes first); otherwise, or when that publish fails, into the spool.
    if (this.js && !this.degraded && !this.stopped && !this.roomWaiters.length && this.hasRoom(bytes)) {
      this.pendingEvents++;
      this.pendingBytes += bytes;
      let published: boolean;
      try {
        published = await this.publish(subject, json, withId.id as string, true);
      } finally {
        this.release(bytes);
      }
      if (published) return;
    }
    await overflow.append(json);
    this.counters.spooled++;
  }

  /**
   * With `overflow`: publishes the spooled events in order, as many at once as memory allows,
   * and marks each done when the stream acknowledges it. Runs from the connection until close.
   */
  private startDrainer(): void {
    this.drainer ??= this.drain().catch((err: unknown) => {
      if (!this.stopped) this.log('error', `cannot read the spool ${this.overflow!.dir}: ${reasonOf(err)}; the events stay in it`);
    });
  }

  private async drain(): Promise<void> {
    const overflow = this.overflow!;
    const inflight = new Set<Promise<void>>();
    try {
      while (!this.stopped) {
        const { records, mark } = await overflow.next();
        if (!records.length) {
          await overflow.waitForMore(mark, this.abort.signal);
          continue;
        }
        for (const r of records) {
          if (this.stopped) break;
          const target = this.routeSpooled(r.json);
          if (typeof target === 'string') {
            this.log('error', `spooled event ${r.seq} in ${overflow.dir} cannot be published (${target}); it stays in the spool`);
            overflow.skip();
            continue;
          }
          await this.acquire(target.bytes);
          if (this.stopped) {
            this.release(target.bytes);
            break;
          }
          this.drainingEvents++;
          const p = this.publish(target.subject, r.json, target.id, false)
            .then(
              () => {
                this.degraded = false;
                overflow.done(r.seq);
              },
              (err: unknown) => {
                // At close the event stays in the spool for the next run; otherwise the stream refused it for good.
                if (this.stopped) return;
                this.log('error', `${reasonOf(err)}; it stays in the spool ${overflow.dir}`);
                overflow.skip();
              },
            )
            .finally(() => {
              this.drainingEvents--;
              this.release(target.bytes);
              inflight.delete(p);
              this.progress();
            });
          inflight.add(p);
        }
      }
    } finally {
      await Promise.allSettled([...inflight]);
    }
  }

  /** The subject, message id and size of a spooled event, or why it cannot be published. */
  private routeSpooled(json: string): { subject: string; id: string; bytes: number } | string {
    let event: ActivityEvent;
    try {
      event = JSON.parse(json) as ActivityEvent;
    } catch (err) {
      return `not JSON: ${reasonOf(err)}`;
    }
    if (typeof event.id !== 'string' || !event.id) return 'no event id';
    let subject: string;
    try {
      subject = subjectFor(this.spec.subjectPrefix, this.locate(event));
    } catch (err) {
      return `cannot route it: ${reasonOf(err)}`;
    }
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxPayload - 512) return `${bytes} bytes; the NATS server takes messages up to ${this.maxPayload} bytes`;
    return { subject, id: event.id, bytes };
  }

  /**
   * Publishes until the stream acknowledges (true), retrying with backoff. With `spill`, the
   * first failure that retrying could mend returns false instead (the caller spools the event);
   * so does a closed sink.
   */
  private async publish(subject: string, json: string, id: string, spill: boolean): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) {
        if (spill) return false;
        throw new RegtrailError('SINK_CLOSED', `event ${id} was not acknowledged by stream ${this.spec.name} before the sink closed`);
      }
      this.counters.requests++;
      try {
        const ack = await this.js!.publish(subject, json, { msgID: id, expect: { streamName: this.spec.name }, timeout: this.publishTimeoutMs });
        this.counters.sent++;
        if (ack.duplicate) this.counters.duplicates++;
        return true;
      } catch (err) {
        this.counters.failedRequests++;
        const reason = reasonOf(err);
        if (spill && !this.permanent(err)) {
          this.degraded = true;
          return false;
        }
        if (this.permanent(err) || attempt >= this.retry.maxAttempts) {
          throw new RegtrailError('PUBLISH_FAILED', `stream ${this.spec.name} did not take event ${id} on ${subject}${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${reason}`);
        }
        this.counters.retried++;
        const now = Date.now();
        if (now - this.lastWarnAt > 10_000) {
          this.lastWarnAt = now;
          this.log('warn', `publish to ${subject} failed (${reason}); retrying (events wait in ${this.overflow ? `memory and the spool ${this.overflow.dir}` : 'memory'}, ${this.stats().pending} pending)`);
        }
        const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** Math.min(attempt - 1, 20));
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            this.abort.signal.removeEventListener('abort', done);
            resolve();
          };
          const t = setTimeout(done, Math.floor(ceiling / 2 + (Math.random() * ceiling) / 2));
          this.abort.signal.addEventListener('abort', done, { once: true });
        });
      }
    }
  }

  /** Errors retrying cannot mend: the connection was closed, or the stream that took the subject is not ours. */
  private permanent(err: unknown): boolean {
    if (err instanceof ClosedConnectionError) return true;
    // 10060: the subject is taken by another stream than the one the sink checked.
    return err instanceof JetStreamApiError && err.code === 10060;
  }

  // --- backpressure: what waits for acknowledgement is bounded -------------------------------

  private acquire(bytes: number): Promise<void> | void {
    if (!this.roomWaiters.length && this.hasRoom(bytes)) {
      this.pendingEvents++;
      this.pendingBytes += bytes;
      return;
    }
    return new Promise((resolve) => this.roomWaiters.push({ bytes, resolve }));
  }

  private hasRoom(bytes: number): boolean {
    return this.pendingEvents < this.maxPending && (this.pendingEvents === 0 || this.pendingBytes + bytes <= this.maxPendingBytes);
  }

  private release(bytes: number): void {
    this.pendingEvents--;
    this.pendingBytes -= bytes;
    let n = 0;
    while (n < this.roomWaiters.length && this.hasRoom(this.roomWaiters[n]!.bytes)) {
      const w = this.roomWaiters[n++]!;
      this.pendingEvents++;
      this.pendingBytes += w.bytes;
      w.resolve();
    }
    if (n) this.roomWaiters.splice(0, n);
  }

  // --- flush, close, progress -----------------------------------------------------------------

  async flush(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.flushTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      // With `overflow`: and until the spool is published (every event in it acknowledged).
      const work = Promise.allSettled([...this.writes]).then(() => this.overflow?.drained());
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const spooled = this.overflow ? this.overflow.backlog - this.overflow.stuck : 0;
          const where = spooled ? `; ${spooled} of them stay in the spool ${this.overflow!.dir} and are published when a sink next opens it` : '';
          reject(new RegtrailError('FLUSH_TIMEOUT', `${this.writes.size + spooled} event(s) not acknowledged by stream ${this.spec.name} after ${timeoutMs} ms${where}`));
        }, timeoutMs);
      });
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
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
    this.abort.abort();
    // Writes still waiting (for room or an acknowledgement) reject now; the connection goes after them.
    for (const w of this.roomWaiters.splice(0)) {
      this.pendingEvents++;
      this.pendingBytes += w.bytes;
      w.resolve();
    }
    await Promise.allSettled([...this.writes]);
    // With `overflow`: the drainer's publishes settle (acknowledged ones are marked done), then the spool records it.
    await this.connector;
    await this.drainer;
    if (this.overflow) {
      try {
        await this.overflow.close();
      } catch (err) {
        failure ??= new RegtrailError('SPOOL_FAILED', `cannot close the spool ${this.overflow.dir}: ${reasonOf(err)}`);
      }
    }
    await this.nc?.close().catch(() => undefined);
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
    }, this.progressIntervalMs);
    this.progressTimer.unref();
  }

  private emitProgress(): void {
    try {
      this.onProgress?.(this.stats());
    } catch (err) {
      this.log('warn', `onProgress threw: ${reasonOf(err)}`);
    }
  }
}

function defaultLog(level: NatsLogLevel, message: string): void {
  if (level === 'warn' || level === 'error') process.stderr.write(`regtrail jetstream sink: ${level}: ${message}\n`);
}
