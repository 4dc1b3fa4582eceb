import { SEVERITY_RANK, STATUS_SEVERITY } from './model.js';
import type { Outcome, Severity } from './types.js';

// The table as an array: frozen objects with numeric keys are slow to index.
const BY_CODE: (Severity | undefined)[] = Array.from({ length: 600 }, (_, code) => STATUS_SEVERITY[code]);

/**
 * The severity of an event: the status-code table when the code is in it; otherwise the action's
 * default severity (from its verb, in the catalog), raised to at least `warning` when the action
 * failed (a failed delete stays `critical`).
 */
export function severityFor(defaultSeverity: Severity, outcome: Outcome, reasonCode: number): Severity {
  const byCode = reasonCode >= 0 && reasonCode < 600 ? BY_CODE[reasonCode] : undefined;
  if (byCode !== undefined) return byCode;
  if (outcome === 'failure' && SEVERITY_RANK[defaultSeverity] < SEVERITY_RANK.warning) return 'warning';
  return defaultSeverity;
}
