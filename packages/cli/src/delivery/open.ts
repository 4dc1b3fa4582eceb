import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegtrailError } from '@regtrail/core/catalog';
import { createHttpSink, type EventSink } from '@regtrail/core/emit';
import { createJetStreamSink } from '@regtrail/nats';
import { printError, printWarning } from '../io.js';
import { progressBar } from '../progress.js';
import { deliverySettings, type DeliveryCliOptions, type DeliverySettings } from './options.js';
import type { DeliveryResult, DeliveryStats } from './report.js';
import { closeOnSignals } from './signals.js';
import { stallWatchdog } from './watchdog.js';

/** What a command delivers to: the HTTP sink (with its spool) or the JetStream sink; the same counters. */
interface DeliverySink extends EventSink {
  stats(): DeliveryStats;
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves when the sink can take events (spool open; or connected and the stream there). */
  readonly ready: Promise<void>;
}

export interface Delivery {
  readonly sink: DeliverySink;
  /** The promise of a write, or a STALLED RegtrailError when the sink makes no progress for --timeout seconds (see stallWatchdog). */
  guard<T>(write: Promise<T>): Promise<T>;
  /** Closes the sink (waiting up to --timeout for delivery), removes a temporary spool that holds nothing, ends the progress bar. */
  finish(): Promise<DeliveryResult>;
}

/** The sink the settings name; with `dir` for the HTTP sink's spool. */
function createSink(settings: DeliverySettings, dir: string | undefined, log: (level: string, message: string) => void, onProgress: ((s: DeliveryStats) => void) | undefined): DeliverySink & { deadLetterFile?: string } {
  const logWarnings = (level: string, message: string) => {
    if (level === 'warn' || level === 'error') log(level, message);
  };
  if (settings.nats) {
    const n = settings.nats;
    return createJetStreamSink({
      servers: n.servers,
      ...(n.stream !== undefined ? { stream: n.stream } : {}),
      ...(n.subjectPrefix !== undefined ? { subjectPrefix: n.subjectPrefix } : {}),
      ...(n.replicas !== undefined ? { replicas: n.replicas } : {}),
      ...(settings.tokenEnv !== undefined ? { tokenEnv: settings.tokenEnv } : {}),
      waitForServerMs: n.waitForServerMs,
      onConnectAttempt: (attempt, reason) => log('warn', `cannot reach NATS at ${n.servers.join(',')} (${reason}); attempt ${attempt}, trying again`),
      flushTimeoutMs: settings.timeoutMs,
      log: logWarnings,
      ...(onProgress ? { onProgress } : {}),
    });
  }
  return createHttpSink({
    url: settings.url,
    spoolDir: dir!,
    ...(settings.tokenEnv !== undefined ? { tokenEnv: settings.tokenEnv } : {}),
    ...(settings.deadLetter !== undefined ? { deadLetterFile: settings.deadLetter } : {}),
    batch: { maxEvents: settings.maxEvents },
    flushTimeoutMs: settings.timeoutMs,
    requestTimeoutMs: Math.min(30_000, settings.timeoutMs),
    log: logWarnings,
    ...(onProgress ? { onProgress } : {}),
  });
}

/**
 * Checks the options and opens the sink (HTTP, or JetStream for nats://), with a progress bar on
 * a terminal, the stall watchdog, and SIGTERM/SIGINT handlers that close the sink and exit.
 * Without --spool the HTTP sink's spool is a new temporary directory, removed at the end when
 * nothing is left in it. Resolves once the sink is ready; a sink that cannot open (spool,
 * server unreachable, stream refused) is a one-line RegtrailError, with everything released.
 */
export async function openDelivery(opts: DeliveryCliOptions, progress: { total?: number; label?: string } = {}): Promise<Delivery> {
  const settings = deliverySettings(opts);
  const temporary = !settings.nats && settings.spool === undefined;
  const dir = settings.nats ? undefined : (settings.spool ?? fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-spool-')));
  const bar = progressBar(progress.total ?? 0, settings.progress);
  const note = (s: DeliveryStats) => `${progress.label ? `${progress.label}, ` : ''}${s.sent} sent, ${s.retried} retried, ${s.deadLettered} dead-lettered`;
  const warn = (level: string, message: string) => {
    if (bar) process.stderr.write('\n');
    (level === 'error' ? printError : printWarning)(message);
  };
  let sink: DeliverySink & { deadLetterFile?: string };
  try {
    sink = createSink(settings, dir, warn, bar ? (s) => bar.update(s.sent + s.deadLettered, progress.total ?? s.sent + s.deadLettered + s.pending, note(s)) : undefined);
  } catch (err) {
    if (temporary) fs.rmSync(dir!, { recursive: true, force: true });
    throw err;
  }
  try {
    await sink.ready;
  } catch (err) {
    await sink.close({ timeoutMs: 1 }).catch(() => undefined);
    if (temporary) fs.rmSync(dir!, { recursive: true, force: true });
    bar?.end(0);
    throw err;
  }
  const where = dir ? `the spool ${dir} (run again with --spool ${dir})` : `memory: run again with the same events (the stream drops those it already holds)`;
  const removeSignalHandlers = closeOnSignals(() => sink.close(), {
    closing: (signal) => {
      process.stderr.write('\n');
      printWarning(`${signal}: delivering what is pending, then exiting; what is not delivered stays in ${where}`);
    },
    failed: (signal, err) => warn('error', `${signal}: ${err instanceof Error ? err.message : String(err)}`),
  });
  const watchdog = stallWatchdog(() => sink.stats(), settings.timeoutMs);
  return {
    sink,
    guard: (write) => watchdog.guard(write),
    async finish() {
      watchdog.stop();
      let incomplete: string | undefined;
      try {
        await sink.close();
      } catch (err) {
        if (!(err instanceof RegtrailError)) throw err;
        incomplete = err.message;
      } finally {
        removeSignalHandlers();
      }
      const stats = sink.stats();
      bar?.end(stats.sent + stats.deadLettered, note(stats));
      let spool: string | undefined = dir;
      const deadLetterFile = sink.deadLetterFile ?? '';
      const deadLettersInSpool = dir !== undefined && stats.deadLettered > 0 && path.resolve(deadLetterFile).startsWith(path.resolve(dir) + path.sep);
      if (temporary && stats.pending === 0 && !stats.lost && incomplete === undefined && !deadLettersInSpool) {
        fs.rmSync(dir!, { recursive: true, force: true });
        spool = undefined;
      }
      return { stats, spool, deadLetterFile, incomplete };
    },
  };
}
