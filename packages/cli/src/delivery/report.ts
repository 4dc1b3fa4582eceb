import type { HttpSinkStats } from '@regtrail/core/emit';
import { printError, printWarning } from '../io.js';

/**
 * The counters of a delivery: the HTTP sink's, or the JetStream sink's (the same names, plus
 * `duplicates`, events the stream already held, and `failed`, writes it never acknowledged).
 */
export type DeliveryStats = Omit<HttpSinkStats, 'lost'> & { readonly lost?: number; readonly duplicates?: number; readonly failed?: number };

/** How a delivery ended. */
export interface DeliveryResult {
  stats: DeliveryStats;
  /** The spool directory, or undefined when it was a temporary one and is removed (nothing left in it). */
  spool: string | undefined;
  deadLetterFile: string;
  /** Why delivery stopped before everything was done (the time limit), if it did. */
  incomplete: string | undefined;
}

/** The summary line of a delivery. */
export function deliveryLine(s: DeliveryStats): string {
  return `${s.sent} sent${s.duplicates ? ` (${s.duplicates} already in the stream)` : ''}, ${s.retried} retried,${s.failed ? ` ${s.failed} not acknowledged,` : ''} ${s.deadLettered} dead-lettered, ${s.pending} pending${s.recovered ? ` (${s.recovered} recovered from the spool)` : ''}${s.lost ? `; ${s.lost} lost (found damaged in the spool)` : ''}`;
}

/** Whether everything was delivered: nothing dead-lettered, pending or lost, no time limit reached, reading not stopped. */
export function deliveredAll(r: DeliveryResult, stopped: string | undefined): boolean {
  return r.stats.deadLettered === 0 && r.stats.pending === 0 && !r.stats.lost && !r.stats.failed && !r.incomplete && !stopped;
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
    lost: stats.lost,
    requests: stats.requests,
    failedRequests: stats.failedRequests,
    ...(stats.duplicates !== undefined ? { duplicates: stats.duplicates, notAcknowledged: stats.failed ?? 0 } : {}),
    stopped: stopped ?? null,
    spool: r.spool ?? null,
    deadLetterFile: stats.deadLettered ? r.deadLetterFile : null,
  };
}

/** Notes on standard error: where undelivered events and dead letters are. */
export function deliveryNotes(r: DeliveryResult): void {
  if (r.incomplete && !(r.stats.pending > 0 && r.spool)) printError(r.incomplete);
  if (r.stats.pending > 0 && r.spool) printWarning(`${r.stats.pending} event(s) not delivered stay in the spool ${r.spool}; run again with --spool ${r.spool} to send them`);
  if (r.stats.deadLettered > 0) printWarning(`${r.stats.deadLettered} event(s) in the dead-letter file ${r.deadLetterFile}`);
  if (r.stats.lost) printError(`${r.stats.lost} event(s) lost: the spool ${r.spool} was damaged (see above); the damaged bytes are kept in ${r.spool}/quarantine`);
  if (r.stats.failed) printError(`${r.stats.failed} event(s) not acknowledged by the stream; run again with the same events: the stream drops those it already holds`);
}
