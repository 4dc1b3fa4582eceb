import type { Severity } from '../content/types.js';
import type { Outcome } from './types.js';

/**
 * Severity by HTTP status code. When an event's reason code is in this table, the table decides
 * the severity, whatever the action and its outcome.
 */
export const STATUS_SEVERITY: Readonly<Record<number, Severity>> = Object.freeze({
  400: 'warning',
  401: 'critical',
  403: 'critical',
  409: 'warning',
  424: 'warning',
  500: 'warning',
  502: 'warning',
  503: 'critical',
  504: 'warning',
  505: 'warning',
  507: 'critical',
});

const RANK: Record<Severity, number> = { normal: 0, warning: 1, critical: 2 };

/**
 * The severity of an event: the status-code table when the code is in it; otherwise the action's
 * default severity (from its verb, in the catalog), raised to at least `warning` when the action
 * failed (a failed delete stays `critical`).
 */
// The table as an array: frozen objects with numeric keys are slow to index.
const BY_CODE: (Severity | undefined)[] = Array.from({ length: 600 }, (_, code) => STATUS_SEVERITY[code]);

export function severityFor(defaultSeverity: Severity, outcome: Outcome, reasonCode: number): Severity {
  const byCode = reasonCode >= 0 && reasonCode < 600 ? BY_CODE[reasonCode] : undefined;
  if (byCode !== undefined) return byCode;
  if (outcome === 'failure' && RANK[defaultSeverity] < RANK.warning) return 'warning';
  return defaultSeverity;
}
