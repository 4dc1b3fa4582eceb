import { RegtrailError, showValue } from './errors.js';

/** A calendar date written `YYYY-MM-DD`; such strings sort in date order. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar date in `YYYY-MM-DD` form (2021-02-30 is not). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Today's date in UTC. */
export function today(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}

/**
 * Accepts a `YYYY-MM-DD` string or a Date and returns the ISO date; anything else is a
 * RegtrailError naming what it got.
 */
export function toIsoDate(value: string | Date, what = 'date'): IsoDate {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RegtrailError('BAD_DATE', `invalid ${what}: not a valid Date`);
    return today(value);
  }
  if (typeof value === 'string' && isIsoDate(value)) return value;
  throw new RegtrailError('BAD_DATE', `invalid ${what} ${showValue(value)}: expected a calendar date as YYYY-MM-DD`);
}
