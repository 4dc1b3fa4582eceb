import fs from 'node:fs';
import path from 'node:path';
import { RegtrailError } from '@regtrail/core/catalog';
import { printError, printWarning } from '../io.js';
import { progressBar } from '../progress.js';
import { deliverySettings, type DeliveryCliOptions } from './options.js';
import type { DeliveryResult, DeliveryStats } from './report.js';
import { closeOnSignals } from './signals.js';
import { openSink, type DeliverySink, type OpenedSink } from './sink.js';
import { stallWatchdog } from './watchdog.js';

export interface Delivery {
  readonly sink: DeliverySink;
  /** The promise of a write, or a STALLED RegtrailError when the sink makes no progress for --timeout seconds (see stallWatchdog). */
  guard<T>(write: Promise<T>): Promise<T>;
  /** The same watch for a producer that counts its own writes in flight (see StallWatchdog.watch). */
  watch(inFlight: () => number, onStall: (err: RegtrailError) => void): void;
  /** Closes the sink (waiting up to --timeout for delivery), removes a temporary spool that holds nothing, ends the progress bar. */
  finish(): Promise<DeliveryResult>;
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
  const bar = progressBar(progress.total ?? 0, settings.progress);
  const note = (s: DeliveryStats) => `${progress.label ? `${progress.label}, ` : ''}${s.sent} sent, ${s.retried} retried, ${s.deadLettered} dead-lettered`;
  const warn = (level: string, message: string) => {
    if (bar) process.stderr.write('\n');
    (level === 'error' ? printError : printWarning)(message);
  };
  let opened: OpenedSink;
  try {
    opened = await openSink(settings, warn, bar ? (s) => bar.update(s.sent + s.deadLettered, progress.total ?? s.sent + s.deadLettered + s.pending, note(s)) : undefined);
  } catch (err) {
    bar?.end(0);
    throw err;
  }
  const { sink, dir, temporary } = opened;
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
    watch: (inFlight, onStall) => watchdog.watch(inFlight, onStall),
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
