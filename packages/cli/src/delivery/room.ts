import fs from 'node:fs';
import path from 'node:path';
import { RegtrailError } from '@regtrail/core/catalog';

/** Free bytes (for an unprivileged writer) of the file system that holds `target` or would: its nearest existing ancestor's. Undefined when the file system reports no size (such as /proc). */
function freeBytes(target: string): number | undefined {
  let at = path.resolve(target);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  let s: fs.StatsFs;
  try {
    s = fs.statfsSync(at);
  } catch {
    return undefined; // nothing to judge by; writing will say what is wrong
  }
  return s.blocks > 0 ? s.bavail * s.bsize : undefined;
}

/**
 * Refuses a count of events that the destination cannot hold: at least `minBytes` each, they
 * must fit in the free space of its file system (`what` names it in the error). A count that
 * cannot fit would only end in a full disk after a long run.
 */
export function checkRoom(count: number, countText: string, minBytes: number, target: string, what: string): void {
  const free = freeBytes(target);
  if (free === undefined || count * minBytes <= free) return;
  throw new RegtrailError(
    'BAD_OPTION',
    `invalid --count ${JSON.stringify(countText)}: ${count} events take at least ${BigInt(count) * BigInt(minBytes)} bytes, and the file system of ${what} has ${free} bytes free`,
  );
}
