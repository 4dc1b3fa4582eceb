import { RegtrailError } from '../errors.js';
import { flat } from './flat.js';
import { clockMemo } from '../hot-state.js';
import { EVENT_MODEL } from '../generated/event-model.js';

/**
 * Event times: UTC, `YYYY-MM-DDTHH:mm:ss.SS+0000`, upper-case `T`, exactly two fraction digits
 * (hundredths; milliseconds are truncated, never rounded, so an event never moves forward in time).
 */
export const EVENT_TIME_PATTERN: string = EVENT_MODEL.patterns.eventTime;
const EVENT_TIME = new RegExp(EVENT_TIME_PATTERN);

/** `00+0000` … `99+0000`: the end of an event time, by hundredth of a second. */
const ENDINGS = Array.from({ length: 100 }, (_, h) => `${h < 10 ? '0' : ''}${h}+0000`);

/** Formats an instant as an event time. */
export function formatEventTime(when: Date | number): string {
  const ms = typeof when === 'number' ? when : when.getTime();
  if (!Number.isFinite(ms)) throw new RegtrailError('BAD_TIME', 'invalid event time: not a valid date');
  // Events come in bursts: the events of one hundredth of a second share one (flat) string, and
  // the date and time are formatted once per second.
  const memo = clockMemo;
  const hundredth = Math.floor(ms / 10);
  if (hundredth === memo.hundredth) return memo.time;
  const second = Math.floor(ms / 1000);
  if (second !== memo.second) {
    const iso = new Date(second * 1000).toISOString();
    // Years outside 0000-9999 come out as ±YYYYYY and cannot be written in the event format.
    if (iso.length !== 24) throw new RegtrailError('BAD_TIME', `invalid event time ${iso}: the year must have four digits`);
    memo.second = second;
    memo.prefix = iso.slice(0, 20);
  }
  memo.hundredth = hundredth;
  memo.time = flat(memo.prefix + ENDINGS[hundredth - second * 100]!);
  return memo.time;
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
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days) return `${text.slice(0, 10)} is not a real calendar date`;
  if (+text.slice(11, 13) > 23 || +text.slice(14, 16) > 59 || +text.slice(17, 19) > 59) return `${text.slice(11, 19)} is not a real time of day`;
  return undefined;
}

/** Parses an event time back to an instant; undefined when it is not a valid event time. */
export function parseEventTime(text: string): Date | undefined {
  if (eventTimeProblem(text) !== undefined) return undefined;
  return new Date(`${text.slice(0, 22)}0Z`);
}
