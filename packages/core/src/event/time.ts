import { RegtrailError } from '../errors.js';

/**
 * Event times: UTC, `YYYY-MM-DDTHH:mm:ss.SS+0000`, upper-case `T`, exactly two fraction digits
 * (hundredths; milliseconds are truncated, never rounded, so an event never moves forward in time).
 */
export const EVENT_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{2}\\+0000$';
const EVENT_TIME = new RegExp(EVENT_TIME_PATTERN);

/** Formats an instant as an event time. */
export function formatEventTime(when: Date | number): string {
  const ms = typeof when === 'number' ? when : when.getTime();
  if (!Number.isFinite(ms)) throw new RegtrailError('BAD_TIME', 'invalid event time: not a valid date');
  const iso = new Date(ms).toISOString();
  // Years outside 0000-9999 come out as ±YYYYYY and cannot be written in the event format.
  if (iso.length !== 24) throw new RegtrailError('BAD_TIME', `invalid event time ${iso}: the year must have four digits`);
  return `${iso.slice(0, 22)}+0000`;
}

/** The calendar date (`YYYY-MM-DD`) of a well-formed event time. */
export function eventDate(eventTime: string): string {
  return eventTime.slice(0, 10);
}

/**
 * Why `text` is not a valid event time, or undefined when it is: the shape first, then whether
 * the date and time exist (2021-02-30 or 24:00 do not).
 */
export function eventTimeProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'must be a string such as 2017-10-19T19:07:50.32+0000';
  if (!EVENT_TIME.test(text)) {
    return `${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)} is not in the form YYYY-MM-DDTHH:mm:ss.SS+0000 (UTC, two fraction digits), such as 2017-10-19T19:07:50.32+0000`;
  }
  const y = +text.slice(0, 4);
  const mo = +text.slice(5, 7);
  const d = +text.slice(8, 10);
  const h = +text.slice(11, 13);
  const mi = +text.slice(14, 16);
  const s = +text.slice(17, 19);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return `${text.slice(0, 10)} is not a real calendar date`;
  }
  if (h > 23 || mi > 59 || s > 59) return `${text.slice(11, 19)} is not a real time of day`;
  return undefined;
}

/** Parses an event time back to an instant; undefined when it is not a valid event time. */
export function parseEventTime(text: string): Date | undefined {
  if (eventTimeProblem(text) !== undefined) return undefined;
  return new Date(`${text.slice(0, 22)}0Z`);
}
