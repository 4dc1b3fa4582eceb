import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegtrailError } from '../errors.js';
import type { ActivityEvent } from '../event/types.js';
import { createHttpSink, type HttpSink, type HttpSinkStats } from '../sinks/http/index.js';
import type { EventSink } from '../sinks/sink.js';
import { progressBar, type ProgressBar } from './progress.js';

/** The delivery options `send` and `simulate --sink` share, as commander gives them. */
export interface DeliveryCliOptions {
  sink: string;
  spool?: string;
  tokenEnv?: string;
  deadLetter?: string;
  batchSize?: string;
  timeout?: string;
  progress?: boolean;
}

const bad = (message: string): never => {
  throw new RegtrailError('BAD_OPTION', message);
};

/** `--sink`: a URL template with `{location}` or a plain URL, http or https. */
export function checkSinkUrl(text: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(text.split('{location}').join('us-south'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    bad(`invalid --sink ${JSON.stringify(redactUserinfo(text))}: expected an http or https URL, optionally with {location} (such as http://127.0.0.1:8080/{location}/v1/events)`);
  }
  return text;
}

/** A URL may carry a password (user:pass@host); never print it. */
function redactUserinfo(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//[REDACTED]@');
}

function positive(option: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value) ? Number(value) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) bad(`invalid ${option} ${JSON.stringify(value)}: expected a positive ${integer ? 'whole number' : 'number'}`);
  return n;
}

export interface DeliveryResult {
  stats: HttpSinkStats;
  /** The spool directory, or undefined when it was a temporary one and is removed (nothing left in it). */
  spool: string | undefined;
  deadLetterFile: string;
  /** Why delivery stopped before everything was done (the time limit), if it did. */
  incomplete: string | undefined;
}

export interface Delivery {
  readonly sink: HttpSink;
  /**
   * The promise of a write, or a STALLED RegtrailError when the sink has made no progress (nothing
   * spooled, sent or dead-lettered) for --timeout seconds while writes wait: the endpoint is down
   * and the sink's queue is full, so reading stops instead of waiting without end.
   */
  guard<T>(write: Promise<T>): Promise<T>;
  /** Closes the sink (waiting up to --timeout for delivery), removes a temporary spool that holds nothing, ends the progress bar. */
  finish(): Promise<DeliveryResult>;
}

/**
 * Checks the options (every problem is a usage error, before any input is read) and opens the
 * HTTP sink. Without --spool the spool is a new temporary directory, removed at the end when
 * nothing is left in it.
 */
export function openDelivery(opts: DeliveryCliOptions, progress: { total?: number; label?: string } = {}): Delivery {
  const url = checkSinkUrl(opts.sink);
  const maxEvents = positive('--batch-size', opts.batchSize, 500, true);
  const timeoutMs = positive('--timeout', opts.timeout, 30, false) * 1000;
  if (opts.tokenEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.tokenEnv)) bad(`invalid --token-env ${JSON.stringify(opts.tokenEnv)}: expected the name of an environment variable`);
    if (!process.env[opts.tokenEnv]) throw new RegtrailError('NO_CREDENTIALS', `--token-env ${opts.tokenEnv}: the environment variable ${opts.tokenEnv} is not set`);
  }
  let spoolDir = opts.spool;
  const temporary = spoolDir === undefined;
  if (spoolDir !== undefined) {
    if (fs.existsSync(spoolDir) && !fs.statSync(spoolDir).isDirectory()) bad(`invalid --spool ${JSON.stringify(spoolDir)}: it is not a directory`);
  } else {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-spool-'));
  }
  const bar: ProgressBar | undefined = progressBar(progress.total ?? 0, opts.progress !== false);
  const note = (s: HttpSinkStats) => `${progress.label ? `${progress.label}, ` : ''}${s.sent} sent, ${s.retried} retried, ${s.deadLettered} dead-lettered`;
  const dir = spoolDir;
  let sink: HttpSink;
  try {
    sink = createHttpSink({
      url,
      spoolDir: dir,
      ...(opts.tokenEnv !== undefined ? { tokenEnv: opts.tokenEnv } : {}),
      ...(opts.deadLetter !== undefined ? { deadLetterFile: opts.deadLetter } : {}),
      batch: { maxEvents },
      flushTimeoutMs: timeoutMs,
      requestTimeoutMs: Math.min(30_000, timeoutMs),
      handleSignals: true,
      log: (level, message) => {
        if (level === 'warn' || level === 'error') process.stderr.write(`${bar ? '\n' : ''}regtrail: ${level}: ${message}\n`);
        else if (level === 'info' && /^SIG/.test(message)) process.stderr.write(`\nregtrail: ${message}; what is not delivered stays in the spool ${dir} (run again with --spool ${dir})\n`);
      },
      ...(bar ? { onProgress: (s: HttpSinkStats) => bar.update(s.sent + s.deadLettered, progress.total ?? s.sent + s.deadLettered + s.pending, note(s)) } : {}),
    });
  } catch (err) {
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let outstanding = 0;
  let lastCount = -1;
  let lastProgress = Date.now();
  let stall!: (err: RegtrailError) => void;
  const stalled = new Promise<never>((_, reject) => (stall = reject));
  stalled.catch(() => undefined);
  const watchdog = setInterval(() => {
    const s = sink.stats();
    const count = s.sent + s.deadLettered + s.spooled;
    if (count !== lastCount || outstanding === 0) {
      lastCount = count;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress >= timeoutMs) {
      stall(new RegtrailError('STALLED', `stopped reading: nothing was delivered for ${timeoutMs / 1000} s while ${s.pending} event(s) waited to be sent`));
    }
  }, Math.min(250, timeoutMs / 4));
  watchdog.unref();
  return {
    sink,
    guard<T>(write: Promise<T>): Promise<T> {
      outstanding++;
      return Promise.race([write, stalled]).finally(() => outstanding--);
    },
    async finish() {
      clearInterval(watchdog);
      let incomplete: string | undefined;
      try {
        await sink.close();
      } catch (err) {
        if (!(err instanceof RegtrailError)) throw err;
        incomplete = err.message;
      }
      const stats = sink.stats();
      bar?.end(stats.sent + stats.deadLettered, note(stats));
      let spool: string | undefined = dir;
      const deadLettersInSpool = stats.deadLettered > 0 && path.resolve(sink.deadLetterFile).startsWith(path.resolve(dir) + path.sep);
      if (temporary && stats.pending === 0 && incomplete === undefined && !deadLettersInSpool) {
        fs.rmSync(dir, { recursive: true, force: true });
        spool = undefined;
      }
      return { stats, spool, deadLetterFile: sink.deadLetterFile, incomplete };
    },
  };
}

/**
 * A sink for a producer that awaits every write (the simulator): writes go to the HTTP sink
 * without waiting for each to be on disk, up to `window` at a time, so that their fsyncs are
 * shared. A failed write fails the next write, flush or close.
 */
export function pipelined(sink: EventSink, guard: <T>(p: Promise<T>) => Promise<T> = (p) => p, window = 1024): EventSink {
  const inflight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  const drain = async () => {
    await Promise.all([...inflight]);
    if (failure) throw failure.err;
  };
  return {
    async write(event: ActivityEvent) {
      if (failure) throw failure.err;
      const p: Promise<void> = guard(sink.write(event)).then(
        () => void inflight.delete(p),
        (err: unknown) => {
          failure ??= { err };
          inflight.delete(p);
        },
      );
      inflight.add(p);
      if (inflight.size >= window) await Promise.race(inflight);
    },
    flush: drain,
    close: drain,
  };
}

/** The summary line of a delivery. */
export function deliveryLine(s: HttpSinkStats): string {
  return `${s.sent} sent, ${s.retried} retried, ${s.deadLettered} dead-lettered, ${s.pending} pending${s.recovered ? ` (${s.recovered} recovered from the spool)` : ''}`;
}

/** Whether everything was delivered: nothing dead-lettered or pending, no time limit reached, reading not stopped. */
export function deliveredAll(r: DeliveryResult, stopped: string | undefined): boolean {
  return r.stats.deadLettered === 0 && r.stats.pending === 0 && !r.incomplete && !stopped;
}

/** The delivery part of a command's --json result. */
export function deliveryFields(r: DeliveryResult, stopped: string | undefined): Record<string, unknown> {
  const { stats } = r;
  return {
    sent: stats.sent,
    retried: stats.retried,
    deadLettered: stats.deadLettered,
    pending: stats.pending,
    recovered: stats.recovered,
    requests: stats.requests,
    failedRequests: stats.failedRequests,
    stopped: stopped ?? null,
    spool: r.spool ?? null,
    deadLetterFile: stats.deadLettered ? r.deadLetterFile : null,
  };
}

/** Notes on standard error: where undelivered events and dead letters are. */
export function deliveryNotes(r: DeliveryResult): void {
  if (r.incomplete && !(r.stats.pending > 0 && r.spool)) process.stderr.write(`regtrail: ${r.incomplete}\n`);
  if (r.stats.pending > 0 && r.spool) process.stderr.write(`regtrail: ${r.stats.pending} event(s) not delivered stay in the spool ${r.spool}; run again with --spool ${r.spool} to send them\n`);
  if (r.stats.deadLettered > 0) process.stderr.write(`regtrail: ${r.stats.deadLettered} event(s) in the dead-letter file ${r.deadLetterFile}\n`);
}
