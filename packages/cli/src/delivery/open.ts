import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegtrailError } from '@regtrail/core/catalog';
import { createHttpSink, type HttpSink, type HttpSinkStats } from '@regtrail/core/emit';
import { printError, printWarning } from '../io.js';
import { progressBar } from '../progress.js';
import { deliverySettings, type DeliveryCliOptions } from './options.js';
import type { DeliveryResult } from './report.js';
import { closeOnSignals } from './signals.js';
import { stallWatchdog } from './watchdog.js';

export interface Delivery {
  readonly sink: HttpSink;
  /** The promise of a write, or a STALLED RegtrailError when the sink makes no progress for --timeout seconds (see stallWatchdog). */
  guard<T>(write: Promise<T>): Promise<T>;
  /** Closes the sink (waiting up to --timeout for delivery), removes a temporary spool that holds nothing, ends the progress bar. */
  finish(): Promise<DeliveryResult>;
}

/**
 * Checks the options and opens the HTTP sink, with a progress bar on a terminal, the stall
 * watchdog, and SIGTERM/SIGINT handlers that close the sink and exit. Without --spool the spool
 * is a new temporary directory, removed at the end when nothing is left in it.
 */
export function openDelivery(opts: DeliveryCliOptions, progress: { total?: number; label?: string } = {}): Delivery {
  const settings = deliverySettings(opts);
  const temporary = settings.spool === undefined;
  const dir = settings.spool ?? fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-spool-'));
  const bar = progressBar(progress.total ?? 0, settings.progress);
  const note = (s: HttpSinkStats) => `${progress.label ? `${progress.label}, ` : ''}${s.sent} sent, ${s.retried} retried, ${s.deadLettered} dead-lettered`;
  const warn = (level: 'warn' | 'error', message: string) => {
    if (bar) process.stderr.write('\n');
    (level === 'error' ? printError : printWarning)(message);
  };
  let sink: HttpSink;
  try {
    sink = createHttpSink({
      url: settings.url,
      spoolDir: dir,
      ...(settings.tokenEnv !== undefined ? { tokenEnv: settings.tokenEnv } : {}),
      ...(settings.deadLetter !== undefined ? { deadLetterFile: settings.deadLetter } : {}),
      batch: { maxEvents: settings.maxEvents },
      flushTimeoutMs: settings.timeoutMs,
      requestTimeoutMs: Math.min(30_000, settings.timeoutMs),
      log: (level, message) => {
        if (level === 'warn' || level === 'error') warn(level, message);
      },
      ...(bar ? { onProgress: (s: HttpSinkStats) => bar.update(s.sent + s.deadLettered, progress.total ?? s.sent + s.deadLettered + s.pending, note(s)) } : {}),
    });
  } catch (err) {
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const removeSignalHandlers = closeOnSignals(() => sink.close(), {
    closing: (signal) => {
      process.stderr.write('\n');
      printWarning(`${signal}: delivering what is pending, then exiting; what is not delivered stays in the spool ${dir} (run again with --spool ${dir})`);
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
      const deadLettersInSpool = stats.deadLettered > 0 && path.resolve(sink.deadLetterFile).startsWith(path.resolve(dir) + path.sep);
      if (temporary && stats.pending === 0 && stats.lost === 0 && incomplete === undefined && !deadLettersInSpool) {
        fs.rmSync(dir, { recursive: true, force: true });
        spool = undefined;
      }
      return { stats, spool, deadLetterFile: sink.deadLetterFile, incomplete };
    },
  };
}
