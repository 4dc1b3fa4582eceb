import { AckPolicy, DeliverPolicy, jetstream, type Consumer, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { createHttpSink, RegtrailError, type ActivityEvent, type HttpSink, type HttpSinkOptions, type HttpSinkStats } from '@regtrail/core/emit';
import { connectNats, reasonOf } from './connect.js';
import type { NatsLogLevel } from './sink.js';
import { parseServers, tokenFrom } from './servers.js';
import { checkSpec, ensureStream, STREAM_DEFAULTS } from './stream.js';

/** Counters of a relay. */
export interface RelayStats {
  /** Messages taken from the consumer (redeliveries included). */
  readonly received: number;
  /** Of those, messages the server had delivered before (to this relay or another) without an acknowledgement. */
  readonly redelivered: number;
  /** Messages acknowledged after their event was delivered (2xx) or written to the dead-letter file. */
  readonly acked: number;
  /** Messages handed back (nak) because the HTTP sink could not take them; the server redelivers them. */
  readonly naked: number;
  /** Acknowledgements the server did not confirm; those messages come again (at least once). */
  readonly ackFailures: number;
  /** Messages held now: taken, not yet acknowledged. */
  readonly inFlight: number;
  /** The HTTP delivery's own counters (sent, retried, dead-lettered, requests…). */
  readonly http: HttpSinkStats;
  /** Whether the relay is connected and consuming. */
  readonly healthy: boolean;
}

export interface RelayOptions {
  /** `nats://host:port`, or several (comma-separated or a list). */
  readonly servers: string | readonly string[];
  /** Stream to relay from; `REGTRAIL`. */
  readonly stream?: string;
  /** Durable pull consumer, shared by every relay given the same name; `relay`. Created when missing. */
  readonly consumer?: string;
  /** When the relay creates the consumer: how long a delivered message may go unacknowledged before the server redelivers it (30 s), and how many may be unacknowledged at once across all relays (10,000). */
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
  /** Messages taken per pull (500), and pulls in flight at once per relay (2): a relay holds at most fetchBatch × parallel unacknowledged messages. */
  readonly fetchBatch?: number;
  readonly parallel?: number;
  /** Environment variable holding a NATS token. */
  readonly natsTokenEnv?: string;
  /** Keep trying to reach a server at start for this long (default 0), calling `onConnectAttempt` after each failed round. */
  readonly waitForServerMs?: number;
  readonly onConnectAttempt?: (attempt: number, reason: string) => void;
  /**
   * The HTTP delivery: the options of `createHttpSink` (url, tokenEnv, batch, retry, dead
   * letter…) without a spool: the stream holds each event until it is acknowledged, so the relay
   * keeps the events in flight in memory only (`writeAhead: false`). The dead-letter file is
   * required, and should stay.
   */
  readonly http: Omit<HttpSinkOptions, 'spoolDir' | 'writeAhead' | 'deadLetterFile'> & { readonly deadLetterFile: string };
  readonly name?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: false | ((level: NatsLogLevel, message: string) => void);
}

export interface Relay {
  /** Resolves when connected, the stream checked and the consumer there; rejects with a one-line RegtrailError. */
  readonly ready: Promise<void>;
  stats(): RelayStats;
  /**
   * Stops taking messages, lets the batches in flight finish (up to `timeoutMs`, 30 s), then
   * closes the HTTP sink and the connection. Messages not acknowledged by then are redelivered
   * by the server (to another relay, or this one when it runs again).
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new RegtrailError('BAD_OPTION', `createRelay: ${name} must be a positive number, not ${String(value)}`);
  return value;
}

/**
 * JetStream → HTTP ingestion: a durable pull consumer whose messages are posted with the HTTP
 * sink (batches per location, retries with backoff and Retry-After, 413 split, dead letter) and
 * acknowledged only once the endpoint answered 2xx (or the event went to the dead-letter file).
 * Several relays on the same consumer share the work; a relay that dies leaves its messages
 * unacknowledged, and the server hands them to another after the ack wait.
 */
export function createRelay(options: RelayOptions): Relay {
  return new RelayImpl(options);
}

class RelayImpl implements Relay {
  readonly ready: Promise<void>;
  private readonly servers: string[];
  private readonly streamName: string;
  private readonly consumerName: string;
  private readonly ackWaitMs: number;
  private readonly maxAckPending: number;
  private readonly fetchBatch: number;
  private readonly parallel: number;
  private readonly sink: HttpSink;
  private readonly logFn: ((level: NatsLogLevel, message: string) => void) | undefined;
  private nc: NatsConnection | undefined;
  private consumer: Consumer | undefined;
  private workers: Promise<void>[] = [];
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private healthy = false;
  /**
   * Messages taken and not yet acknowledged or handed back: at most fetchBatch × parallel, in the
   * pulls that still have some (at most `parallel` + 1 or so). A counter and each pull's array, not
   * a Set of messages: no hash table insert and delete per message. `keepAlive` walks the pulls.
   */
  private held = 0;
  /** Messages the pulls in flight may still bring: counted with `held`, so that no more pulls start than there is room for. */
  private reserved = 0;
  private readonly pulls = new Set<Pull>();
  /** Acknowledgements written and not yet confirmed by a flush; one flush (a round trip) in flight at a time confirms them together. */
  private unconfirmed = 0;
  private acking: Promise<void> | undefined;
  private roomWaiters: (() => void)[] = [];
  private keepAlive: NodeJS.Timeout | undefined;
  /** A flush of the HTTP sink, started when the relay is full, so that partial batches go out at once. */
  private forcing: Promise<void> | undefined;
  private readonly counters = { received: 0, redelivered: 0, acked: 0, naked: 0, ackFailures: 0 };

  constructor(private readonly o: RelayOptions) {
    if (!o || typeof o !== 'object') throw new RegtrailError('BAD_OPTION', 'createRelay: options are required');
    this.servers = parseServers(o.servers, 'createRelay: servers');
    this.streamName = checkSpec({ ...STREAM_DEFAULTS, name: o.stream ?? STREAM_DEFAULTS.name }).name;
    this.consumerName = o.consumer ?? 'relay';
    if (!/^[A-Za-z0-9_-]+$/.test(this.consumerName)) throw new RegtrailError('BAD_OPTION', `createRelay: consumer name ${JSON.stringify(this.consumerName)} may hold only letters, digits, - and _`);
    this.ackWaitMs = positive('ackWaitMs', o.ackWaitMs, 30_000);
    this.maxAckPending = positive('maxAckPending', o.maxAckPending, 10_000);
    this.fetchBatch = positive('fetchBatch', o.fetchBatch, 500);
    this.parallel = positive('parallel', o.parallel, 2);
    const natsToken = tokenFrom(o.natsTokenEnv, o.env);
    this.logFn = o.log === false ? undefined : (o.log ?? defaultLog);
    // Never give up on a batch while the stream holds it: the HTTP sink retries until it is
    // delivered or refused for good (dead letter), and the relay keeps the messages alive meanwhile.
    this.sink = createHttpSink({ ...o.http, writeAhead: false, ...(o.env ? { env: o.env } : {}), log: o.http.log ?? ((level, message) => this.log(level, message)) });
    this.ready = this.start(natsToken);
    this.ready.catch(() => undefined);
  }

  private log(level: NatsLogLevel, message: string): void {
    try {
      this.logFn?.(level, message);
    } catch {
      // A failing logger must not stop the relay.
    }
  }

  private async start(token: string | undefined): Promise<void> {
    await this.sink.ready;
    const nc = await connectNats({
      servers: this.servers,
      name: this.o.name ?? `regtrail-relay-${this.consumerName}`,
      token,
      waitForServerMs: this.o.waitForServerMs ?? 0,
      onConnectAttempt: this.o.onConnectAttempt,
    });
    this.nc = nc;
    try {
      const { jsm } = await ensureStream(nc, { ...STREAM_DEFAULTS, name: this.streamName }, { create: 'never' });
      try {
        await jsm.consumers.info(this.streamName, this.consumerName);
      } catch {
        // Relays starting together all try; the server takes the same durable config more than once.
        await jsm.consumers.add(this.streamName, {
          durable_name: this.consumerName,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanos(this.ackWaitMs),
          max_ack_pending: this.maxAckPending,
        });
      }
      this.consumer = await jetstream(nc).consumers.get(this.streamName, this.consumerName);
    } catch (err) {
      await nc.close().catch(() => undefined);
      if (err instanceof RegtrailError) throw err;
      throw new RegtrailError('NO_CONSUMER', `cannot set up consumer ${this.consumerName} on stream ${this.streamName}: ${reasonOf(err)}`);
    }
    this.healthy = true;
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.healthy = false;
          this.log('warn', `disconnected from NATS ${s.server}; reconnecting`);
        } else if (s.type === 'reconnect') {
          this.healthy = true;
          this.log('info', `reconnected to NATS ${s.server}`);
        }
      }
    })().catch(() => undefined);
    // Until acknowledged, tell the server the work goes on, so that it does not redeliver
    // messages that wait on a slow or failing endpoint (each retry may take up to 30 s).
    this.keepAlive = setInterval(() => {
      for (const pull of this.pulls) for (const m of pull.msgs) if (m) m.working();
    }, Math.max(200, this.ackWaitMs / 3));
    for (let i = 0; i < this.parallel; i++) this.workers.push(this.work());
  }

  stats(): RelayStats {
    return { ...this.counters, inFlight: this.held, http: this.sink.stats(), healthy: this.healthy && !this.stopping };
  }

  /**
   * One pull loop. Pulls overlap with delivery: a loop pulls again as soon as the relay has room
   * for another batch (fetchBatch × parallel messages held at most), not when its last batch is
   * delivered.
   */
  private async work(): Promise<void> {
    while (!this.stopping) {
      await this.room();
      if (this.stopping) break;
      // Each message goes to the HTTP sink as it arrives, not when the whole pull is in.
      const pull: Pull = { msgs: [], left: 0, open: true };
      this.pulls.add(pull);
      try {
        const batch = await this.consumer!.fetch({ max_messages: this.fetchBatch, expires: 1000 });
        for await (const m of batch) this.deliver(m, pull);
      } catch (err) {
        if (!this.stopping) {
          this.log('warn', `pull from ${this.streamName}/${this.consumerName} failed: ${reasonOf(err)}; trying again`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      // What the pull did not bring is not coming.
      this.reserved -= this.fetchBatch - pull.msgs.length;
      pull.open = false;
      if (pull.left === 0) this.pulls.delete(pull);
      this.released();
    }
  }

  /**
   * Resolves when the relay holds few enough messages to take another batch, and reserves room for
   * it (unless stopping). While it waits, the
   * HTTP sink sends its partial batches now rather than when they are `batch.maxAgeMs` old: no
   * more messages can come to fill them until some are acknowledged.
   */
  private async room(): Promise<void> {
    // Every waiter wakes when one pull fits: the first to run takes the room, the others wait again.
    while (!this.stopping && this.held + this.reserved + this.fetchBatch > this.fetchBatch * this.parallel) {
      this.forcing ??= this.sink
        .flush({ timeoutMs: this.ackWaitMs })
        .catch(() => undefined)
        .finally(() => (this.forcing = undefined));
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    // Taken here, in the same turn as the check: a loop woken with this one must not count the same room.
    if (!this.stopping) this.reserved += this.fetchBatch;
  }

  private released(): void {
    if (!this.roomWaiters.length || this.held + this.reserved + this.fetchBatch > this.fetchBatch * this.parallel) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Hands a message's event to the HTTP sink (which batches per location, retries, splits on 413
   * and dead-letters), and acknowledges the message once that event is delivered (2xx) or in the
   * dead-letter file; never before. One reaction per message on the sink's promise.
   */
  private deliver(m: JsMsg, pull: Pull): void {
    const i = pull.msgs.push(m) - 1;
    pull.left++;
    this.reserved--;
    this.held++;
    this.counters.received++;
    if (m.redelivered) this.counters.redelivered++;
    this.sink.sendText(m.string()).then(
      () => this.delivered(pull, i),
      (err: unknown) => {
        // Not one JSON object: wrapped with its text, so that the HTTP sink dead-letters it (nothing is dropped).
        if (err instanceof RegtrailError && err.code === 'BAD_EVENT') {
          this.sink.send(unreadable(m)).then(
            () => this.delivered(pull, i),
            (e: unknown) => this.failed(pull, i, e),
          );
        } else this.failed(pull, i, err);
      },
    );
  }

  /** The message leaves the relay: its pull no longer keeps it alive, and it makes room for the next pull. */
  private release(pull: Pull, i: number): JsMsg {
    const m = pull.msgs[i]!;
    pull.msgs[i] = undefined;
    if (--pull.left === 0 && !pull.open) this.pulls.delete(pull);
    this.held--;
    this.released();
    return m;
  }

  /**
   * Acknowledges the message at once (the client coalesces the writes), and leaves it: nothing of
   * it is needed any more, and an ack the server never gets only means the message comes again.
   * One flush (a round trip) per turn of the event loop confirms the acks written meanwhile.
   */
  private delivered(pull: Pull, i: number): void {
    this.release(pull, i).ack();
    this.unconfirmed++;
    this.acking ??= this.confirm();
  }

  private failed(pull: Pull, i: number, err: unknown): void {
    const m = this.release(pull, i);
    // Closed while stopping: left unacknowledged, redelivered after the ack wait.
    if (this.stopping && err instanceof RegtrailError && err.code === 'SINK_CLOSED') return;
    this.log('error', `message ${m.seq} of ${this.streamName}: ${reasonOf(err)}; handed back for redelivery`);
    m.nak(5000);
    this.counters.naked++;
  }

  private async confirm(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.unconfirmed > 0) {
      const n = this.unconfirmed;
      this.unconfirmed = 0;
      try {
        await this.nc!.flush();
        this.counters.acked += n;
      } catch (err) {
        this.counters.ackFailures += n;
        this.log('warn', `acknowledgements of ${n} message(s) not confirmed (${reasonOf(err)}); they may be delivered again`);
      }
    }
    this.acking = undefined;
  }

  stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopped ??= this.doStop(options.timeoutMs ?? 30_000);
    return this.stopped;
  }

  private async doStop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    await this.ready.catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    // Pulls end within their expiry; then the messages held get until the deadline to be delivered and acknowledged.
    this.released();
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.workers), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    while (this.held > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.acking;
    if (this.keepAlive) clearInterval(this.keepAlive);
    await this.sink.close({ timeoutMs: 1 }).catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
    this.healthy = false;
  }
}

/** The messages of one pull, by arrival; a slot is emptied when its message is acknowledged or handed back. */
interface Pull {
  readonly msgs: (JsMsg | undefined)[];
  /** Messages of the pull still held. */
  left: number;
  /** Whether the pull may still bring messages. */
  open: boolean;
}

/** A message that is not one JSON object, as an event the HTTP sink dead-letters with its text. */
function unreadable(m: JsMsg): ActivityEvent {
  return { unreadableMessage: { subject: m.subject, seq: m.seq, text: m.string().slice(0, 65536) } } as unknown as ActivityEvent;
}

function defaultLog(level: NatsLogLevel, message: string): void {
  if (level === 'warn' || level === 'error') process.stderr.write(`regtrail relay: ${level}: ${message}\n`);
}
