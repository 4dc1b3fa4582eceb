import { RegtrailError } from '@regtrail/core/catalog';

/** --max-line-bytes and --max-event-bytes as commander gives them (`lint` and `send`). */
export interface LimitOptions {
  maxLineBytes: string;
  maxEventBytes: string;
}

/** A whole number of at least 1 (digits only), or a usage error naming the option. */
function positiveInt(option: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new RegtrailError('BAD_OPTION', `invalid ${option} ${JSON.stringify(value)}: expected a whole number from 1 to ${max}`);
  return n;
}

/** The limits for lintStream, or a usage error naming the option. */
export function parseLimits(opts: LimitOptions): { maxLineBytes: number; maxEventBytes: number } {
  return { maxLineBytes: positiveInt('--max-line-bytes', opts.maxLineBytes), maxEventBytes: positiveInt('--max-event-bytes', opts.maxEventBytes) };
}
