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
  /** Messages taken per pull (500), and pulls in flight at once per relay (2). */
  readonly fetchBatch?: number;
  readonly parallel?: number;
  /** Environment variable holding a NATS token. */
  readonly natsTokenEnv?: string;
  /** Keep trying to reach a server at start for this long (default 0), calling `onConnectAttempt` after each failed round. */
  readonly waitForServerMs?: number;
  readonly onConnectAttempt?: (attempt: number, reason: string) => void;
  /**
   * The HTTP delivery: the same options as `createHttpSink` (url, tokenEnv, batch, retry, dead
   * letter…). Its spool is scratch space for the batches in flight (the stream holds the events
   * until they are acknowledged), so give each relay its own, and a dead-letter file that stays.
   */
  readonly http: HttpSinkOptions;
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

const decoder = new TextDecoder();

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
  private inFlight = 0;
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
    this.sink = createHttpSink({ ...o.http, ...(o.env ? { env: o.env } : {}), log: o.http.log ?? ((level, message) => this.log(level, message)) });
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
    for (let i = 0; i < this.parallel; i++) this.workers.push(this.work());
  }

  stats(): RelayStats {
    return { ...this.counters, inFlight: this.inFlight, http: this.sink.stats(), healthy: this.healthy && !this.stopping };
  }

  private async work(): Promise<void> {
    while (!this.stopping) {
      const msgs: JsMsg[] = [];
      try {
        const batch = await this.consumer!.fetch({ max_messages: this.fetchBatch, expires: 1000 });
        for await (const m of batch) msgs.push(m);
      } catch (err) {
        if (this.stopping) break;
        this.log('warn', `pull from ${this.streamName}/${this.consumerName} failed: ${reasonOf(err)}; trying again`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (msgs.length) await this.deliver(msgs);
    }
  }

  /** Hands messages to the HTTP sink, waits until they are delivered or dead-lettered, then acknowledges them. */
  private async deliver(msgs: JsMsg[]): Promise<void> {
    this.inFlight += msgs.length;
    this.counters.received += msgs.length;
    for (const m of msgs) if (m.redelivered) this.counters.redelivered++;
    // Until acknowledged, tell the server the work goes on, so that it does not redeliver
    // messages that wait on a slow or failing endpoint (each retry may take up to 30 s).
    const keepAlive = setInterval(() => msgs.forEach((m) => m.working()), Math.max(200, this.ackWaitMs / 3));
    try {
      const results = await Promise.allSettled(msgs.map((m) => this.sink.write(eventOf(m))));
      const taken = msgs.filter((_, i) => results[i]!.status === 'fulfilled');
      const refused = msgs.filter((_, i) => results[i]!.status === 'rejected');
      for (const [i, r] of results.entries()) {
        if (r.status === 'rejected') this.log('error', `message ${msgs[i]!.seq} of ${this.streamName}: ${reasonOf(r.reason)}; handed back for redelivery`);
      }
      for (const m of refused) m.nak(5000);
      this.counters.naked += refused.length;
      for (;;) {
        try {
          await this.sink.flush();
          break;
        } catch (err) {
          if (!(err instanceof RegtrailError && err.code === 'FLUSH_TIMEOUT')) throw err;
          if (this.stopping) return; // left unacknowledged: redelivered after the ack wait
        }
      }
      // Acknowledgements go out together; a flush (one round trip) confirms that the server got them.
      for (const m of taken) m.ack();
      try {
        await this.nc!.flush();
        this.counters.acked += taken.length;
      } catch (err) {
        this.counters.ackFailures += taken.length;
        this.log('warn', `acknowledgements of ${taken.length} message(s) not confirmed (${reasonOf(err)}); they may be delivered again`);
      }
    } finally {
      clearInterval(keepAlive);
      this.inFlight -= msgs.length;
    }
  }

  stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopped ??= this.doStop(options.timeoutMs ?? 30_000);
    return this.stopped;
  }

  private async doStop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    await this.ready.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.workers), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    await this.sink.close({ timeoutMs: 1 }).catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
    this.healthy = false;
  }
}

/** The event a message carries; what is not a JSON object is wrapped, so that the HTTP sink dead-letters it with its text (nothing is dropped). */
function eventOf(m: JsMsg): ActivityEvent {
  const text = decoder.decode(m.data);
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as ActivityEvent;
  } catch {
    // wrapped below
  }
  return { unreadableMessage: { subject: m.subject, seq: m.seq, text: text.slice(0, 65536) } } as unknown as ActivityEvent;
}

function defaultLog(level: NatsLogLevel, message: string): void {
  if (level === 'warn' || level === 'error') process.stderr.write(`regtrail relay: ${level}: ${message}\n`);
}
