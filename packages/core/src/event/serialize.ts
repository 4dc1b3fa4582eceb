import { jsonString, writeEvent } from '../generated/event-model.js';
import { handoff } from '../hot-state.js';
import type { ActivityEvent } from './types.js';

/**
 * The serializer: a template generated from the event model (writeEvent, in the model's key
 * order), and the hand-off by which the emitter gives the sink the line it composed with the event.
 * Its output parses back to the same value JSON.stringify's would; keys that the model does not
 * define are not written.
 */
export { jsonString };

/** Runs `write` with `line` as the known serialization of `event` (hot-state.ts, `handoff`); for the emitter. */
export function withLine<T>(event: ActivityEvent, line: string, write: () => T): T {
  handoff.event = event;
  handoff.line = line;
  try {
    return write();
  } finally {
    handoff.event = undefined;
    handoff.line = '';
  }
}

/** One event as one line of JSON, without the newline. */
export function serializeEvent(e: ActivityEvent): string {
  return e === handoff.event ? handoff.line : writeEvent(e);
}
