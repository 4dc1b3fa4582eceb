import { isIsoDate, RegtrailError } from '@regtrail/core/catalog';

/**
 * An instant given on the command line (`--time`, `--start`): a date (`2025-03-01`, midnight UTC)
 * or an ISO date-time (`2025-03-01T12:00:00Z`, or an event time such as
 * `2025-03-01T12:00:00.00+0000`). A date or time that does not exist (2025-02-30, 24:00) is an
 * error, not rolled over into the next one as `Date` would.
 */
export function parseInstant(text: string, option: string, example: string): number {
  const bad = (why: string): never => {
    throw new RegtrailError('BAD_OPTION', `invalid ${option} ${JSON.stringify(text)}: ${why}`);
  };
  const day = text.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) bad(`expected ${example}`);
  if (!isIsoDate(day)) bad(`${day} is not a real calendar date`);
  if (text.length === 10) return Date.parse(`${day}T00:00:00Z`);
  if (text[10] !== 'T') bad(`expected ${example}`);
  const time = text.slice(11, 19);
  if (!/^\d{2}:\d{2}:\d{2}$/.test(time) && !/^\d{2}:\d{2}$/.test(text.slice(11, 16))) bad(`expected ${example}`);
  const [h, m, s] = [Number(text.slice(11, 13)), Number(text.slice(14, 16)), /^\d{2}$/.test(text.slice(17, 19)) ? Number(text.slice(17, 19)) : 0];
  if (h > 23 || m > 59 || s > 59) bad(`${text.slice(11, text[16] === ':' ? 19 : 16)} is not a real time of day`);
  // The event-time form (two fraction digits, +0000) is read as UTC.
  const normal = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}\+0000$/.test(text) ? `${text.slice(0, 22)}0Z` : text;
  const ms = Date.parse(normal);
  if (Number.isNaN(ms)) bad(`expected ${example}`);
  return ms;
}
