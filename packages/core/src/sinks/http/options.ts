import path from 'node:path';
import { RegtrailError } from '../../errors.js';
import type { IngestUrl } from './route.js';
import type { RetryPolicy } from './retry.js';
import type { BatchLimits } from './batcher.js';

/** Counters of an HTTP sink, as `sink.stats()` returns them and `onProgress` receives them. */
export interface HttpSinkStats {
  /** Events the endpoint accepted (2xx). */
  readonly sent: number;
  /** Events sent again after a failed attempt (one per event per retry). */
  readonly retried: number;
  /** Events this sink wrote to the spool (acknowledged to callers). */
  readonly spooled: number;
  /** Unconfirmed events found in the spool when the sink started (left by an earlier run). */
  readonly recovered: number;
  /**
   * Events the spool had accepted but found damaged when the sink started (a segment cut short or
   * overwritten): lost. The log names the segment and byte offset; the damaged bytes are kept in
   * `<spoolDir>/quarantine/`.
   */
  readonly lost: number;
  /** Events written to the dead-letter file. */
  readonly deadLettered: number;
  /** Events in the spool not yet delivered or dead-lettered (in memory, in flight or waiting to retry). */
  readonly pending: number;
  /** HTTP requests made, and how many of them failed (network error, 408, 429, 5xx). */
  readonly requests: number;
  readonly failedRequests: number;
}

export type HttpSinkLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface HttpSinkOptions {
  /**
   * Where a location's events go: a template in which `{location}` is replaced (such as
   * `https://ingest.{location}.example.test/v1/events`), a map location → URL, or a function.
   */
  readonly url: IngestUrl;
  /** Directory of the write-ahead spool; reuse it after a crash to send what was left. Required unless `writeAhead` is false. */
  readonly spoolDir?: string;
  /**
   * `false`: no spool. Events wait in memory (bounded by `maxQueueEvents`/`maxQueueBytes`) until
   * delivered or dead-lettered, and are lost if the process dies. Only for a caller that holds
   * them durably elsewhere until `send` resolves, such as the JetStream relay (the stream keeps
   * each message until it is acknowledged). `deadLetterFile` is then required. Default true.
   */
  readonly writeAhead?: boolean;
  /**
   * Name of the environment variable holding the bearer token (such as `REGTRAIL_INGEST_TOKEN`),
   * sent as `Authorization: Bearer …`. The token never appears in logs, errors or dead letters.
   */
  readonly tokenEnv?: string;
  /** Environment to read `tokenEnv` from; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** NDJSON file of the events given up on; `<spoolDir>/dead-letter.ndjson` by default. */
  readonly deadLetterFile?: string;
  /** When a batch is sent: at `maxEvents` (500) events, `maxBytes` (1 MiB) of JSON, or when its oldest event is `maxAgeMs` (1000) old. */
  readonly batch?: Partial<BatchLimits>;
  /** Largest event (serialized JSON bytes); larger ones go to the dead letter. 256 KiB. */
  readonly maxEventBytes?: number;
  /** Bound of the in-memory queue of undelivered events; `write` waits while it is full. 10,000 events / 64 MiB. */
  readonly maxQueueEvents?: number;
  readonly maxQueueBytes?: number;
  /** Requests in flight at once. 4. */
  readonly concurrency?: number;
  /** Backoff: `baseDelayMs` 250, `maxDelayMs` 30,000, `maxAttempts` Infinity, `maxRetryAfterMs` 300,000. */
  readonly retry?: Partial<RetryPolicy>;
  /** Time limit of one request. 30,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Default time limit of `flush()` and `close()`. 30,000 ms. */
  readonly flushTimeoutMs?: number;
  /** Size at which the spool starts a new segment file. 8 MiB. */
  readonly segmentBytes?: number;
  /** How often, at most, the spool's acknowledgement file is rewritten. 200 ms. */
  readonly ackIntervalMs?: number;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Called with the counters when they change (at most every `progressIntervalMs`, 100 ms) and when flush or close ends. */
  readonly onProgress?: (stats: HttpSinkStats) => void;
  readonly progressIntervalMs?: number;
  /** Log lines (already free of credentials); by default warnings and errors go to stderr. `false` for none. */
  readonly log?: false | ((level: HttpSinkLogLevel, message: string) => void);
}

export interface ResolvedOptions {
  readonly url: IngestUrl;
  /** Undefined without a write-ahead spool (`writeAhead: false`). */
  readonly spoolDir: string | undefined;
  readonly token: string | undefined;
  readonly deadLetterFile: string;
  readonly batch: BatchLimits;
  readonly maxEventBytes: number;
  readonly maxQueueEvents: number;
  readonly maxQueueBytes: number;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly requestTimeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly segmentBytes: number;
  readonly ackIntervalMs: number;
  readonly progressIntervalMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

function bad(message: string): never {
  throw new RegtrailError('BAD_OPTION', `createHttpSink: ${message}`);
}

function positive(name: string, value: number | undefined, fallback: number, { integer = true, infinite = false } = {}): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && value > 0 && (infinite && value === Infinity ? true : Number.isFinite(value) && (!integer || Number.isInteger(value)));
  if (!ok) bad(`${name} must be a positive ${integer ? 'integer' : 'number'}${infinite ? ' or Infinity' : ''}, not ${String(value)}`);
  return value;
}

/** Checks the options and fills in the defaults; errors are RegtrailError BAD_OPTION or NO_CREDENTIALS. */
export function resolveOptions(options: HttpSinkOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') bad('options are required');
  const { url } = options;
  if (!(typeof url === 'string' || typeof url === 'function' || (url && typeof url === 'object'))) {
    bad('url must be a URL template, a map location → URL, or a function');
  }
  const writeAhead = options.writeAhead ?? true;
  if (typeof writeAhead !== 'boolean') bad(`writeAhead must be true or false, not ${String(writeAhead)}`);
  if (writeAhead && (typeof options.spoolDir !== 'string' || !options.spoolDir)) bad('spoolDir is required');
  if (!writeAhead && options.spoolDir !== undefined) bad('spoolDir goes with writeAhead: true (the default); without a spool, events wait in memory only');
  if (!writeAhead && (typeof options.deadLetterFile !== 'string' || !options.deadLetterFile)) bad('deadLetterFile is required with writeAhead: false (there is no spool to put it in)');
  // The library never installs signal handlers or exits the process: that is the program's job.
  if ((options as { handleSignals?: unknown }).handleSignals) bad('handleSignals is gone: call close() from your own SIGTERM/SIGINT handler, then exit');
  let token: string | undefined;
  if (options.tokenEnv !== undefined) {
    if (typeof options.tokenEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.tokenEnv)) bad('tokenEnv must be the name of an environment variable');
    token = (options.env ?? process.env)[options.tokenEnv];
    if (!token) throw new RegtrailError('NO_CREDENTIALS', `createHttpSink: environment variable ${options.tokenEnv} is not set`);
    if (/[\r\n]/.test(token)) throw new RegtrailError('NO_CREDENTIALS', `createHttpSink: environment variable ${options.tokenEnv} holds a line break`);
  }
  const batch: BatchLimits = {
    maxEvents: positive('batch.maxEvents', options.batch?.maxEvents, 500),
    maxBytes: positive('batch.maxBytes', options.batch?.maxBytes, 1024 * 1024),
    maxAgeMs: positive('batch.maxAgeMs', options.batch?.maxAgeMs, 1000, { integer: false }),
  };
  const maxEventBytes = positive('maxEventBytes', options.maxEventBytes, Math.min(256 * 1024, batch.maxBytes - 2));
  if (maxEventBytes > batch.maxBytes - 2) bad(`maxEventBytes (${maxEventBytes}) must leave room in batch.maxBytes (${batch.maxBytes})`);
  const retry: RetryPolicy = {
    baseDelayMs: positive('retry.baseDelayMs', options.retry?.baseDelayMs, 250, { integer: false }),
    maxDelayMs: positive('retry.maxDelayMs', options.retry?.maxDelayMs, 30_000, { integer: false }),
    maxAttempts: positive('retry.maxAttempts', options.retry?.maxAttempts, Infinity, { infinite: true }),
    maxRetryAfterMs: positive('retry.maxRetryAfterMs', options.retry?.maxRetryAfterMs, 300_000, { integer: false }),
  };
  return {
    url,
    spoolDir: writeAhead ? path.resolve(options.spoolDir!) : undefined,
    token,
    deadLetterFile: path.resolve(options.deadLetterFile ?? path.join(options.spoolDir!, 'dead-letter.ndjson')),
    batch,
    maxEventBytes,
    maxQueueEvents: positive('maxQueueEvents', options.maxQueueEvents, 10_000),
    maxQueueBytes: positive('maxQueueBytes', options.maxQueueBytes, 64 * 1024 * 1024),
    concurrency: positive('concurrency', options.concurrency, 4),
    retry,
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000, { integer: false }),
    flushTimeoutMs: positive('flushTimeoutMs', options.flushTimeoutMs, 30_000, { integer: false }),
    segmentBytes: positive('segmentBytes', options.segmentBytes, 8 * 1024 * 1024),
    ackIntervalMs: positive('ackIntervalMs', options.ackIntervalMs, 200, { integer: false }),
    progressIntervalMs: positive('progressIntervalMs', options.progressIntervalMs, 100, { integer: false }),
    headers: { ...(options.headers ?? {}) },
  };
}
