import { jsonString, writeEvent } from '../generated/event-model.js';
import type { ActivityEvent } from './types.js';

/**
 * The serializer: a template generated from the event model (writeEvent, in the model's key
 * order), and the hand-off by which the emitter gives the sink the line it composed with the event.
 * Its output parses back to the same value JSON.stringify's would; keys that the model does not
 * define are not written.
 */
export { jsonString };

// The emitter composes each event's line while it builds the event, and hands both to the sink
// for the duration of the (synchronous part of the) sink's write call.
let handoffEvent: ActivityEvent | undefined;
let handoffLine = '';

/** Runs `write` with `line` as the known serialization of `event`; for the emitter. */
export function withLine<T>(event: ActivityEvent, line: string, write: () => T): T {
  handoffEvent = event;
  handoffLine = line;
  try {
    return write();
  } finally {
    handoffEvent = undefined;
    handoffLine = '';
  }
}

/** One event as one line of JSON, without the newline. */
export function serializeEvent(e: ActivityEvent): string {
  return e === handoffEvent ? handoffLine : writeEvent(e);
}
