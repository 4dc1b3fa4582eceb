import type { HttpSinkStats } from '@regtrail/core/emit';
import { printError, printWarning } from '../io.js';

/** How a delivery ended. */
export interface DeliveryResult {
  stats: HttpSinkStats;
  /** The spool directory, or undefined when it was a temporary one and is removed (nothing left in it). */
  spool: string | undefined;
  deadLetterFile: string;
  /** Why delivery stopped before everything was done (the time limit), if it did. */
  incomplete: string | undefined;
}

/** The summary line of a delivery. */
export function deliveryLine(s: HttpSinkStats): string {
  return `${s.sent} sent, ${s.retried} retried, ${s.deadLettered} dead-lettered, ${s.pending} pending${s.recovered ? ` (${s.recovered} recovered from the spool)` : ''}${s.lost ? `; ${s.lost} lost (found damaged in the spool)` : ''}`;
}

/** Whether everything was delivered: nothing dead-lettered, pending or lost, no time limit reached, reading not stopped. */
export function deliveredAll(r: DeliveryResult, stopped: string | undefined): boolean {
  return r.stats.deadLettered === 0 && r.stats.pending === 0 && r.stats.lost === 0 && !r.incomplete && !stopped;
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
  if (r.stats.lost > 0) printError(`${r.stats.lost} event(s) lost: the spool ${r.spool} was damaged (see above); the damaged bytes are kept in ${r.spool}/quarantine`);
}
