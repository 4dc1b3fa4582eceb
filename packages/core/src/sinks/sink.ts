import { RegtrailError, showValue } from '../errors.js';
import type { ActivityEvent } from '../event/types.js';

/**
 * Where events go. A sink is small on purpose so that anyone can write one: `write` takes one
 * event and resolves once the sink has accepted it (for a durable sink: once it is safe),
 * `flush` resolves when everything accepted so far is delivered or on disk, and `close` flushes
 * and releases what the sink holds. Writes after close are errors.
 */
export interface EventSink {
  write(event: ActivityEvent): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A settled promise a sink may return for every write it accepted at once (the file sink does):
 * the emitter then resolves emit to the event without waiting on it (one promise per event
 * instead of a promise and a reaction). Shared: no caller can change a promise.
 */
export const ACCEPTED: Promise<void> = Promise.resolve();

/**
 * Calls `sink.write(event)` and holds it to the contract: a sink written in plain JavaScript may
 * return nothing, and "accepted" must never be assumed. What it returns must be a promise (any
 * thenable); anything else is a BAD_SINK rejection. A write that throws becomes a rejection.
 */
export function writeTo(sink: EventSink, event: ActivityEvent): Promise<void> {
  let result: unknown;
  try {
    result = sink.write(event);
  } catch (err) {
    return Promise.reject(err);
  }
  if (result instanceof Promise) return result as Promise<void>;
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as { then?: unknown }).then === 'function') {
    return Promise.resolve(result as PromiseLike<void>);
  }
  return Promise.reject(
    new RegtrailError('BAD_SINK', `sink.write must return a promise that resolves once the event is accepted (see EventSink), but it returned ${showValue(result)}; the event was not accepted`),
  );
}
