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

/** One event as one line of JSON, without the newline. */
export function serializeEvent(e: ActivityEvent): string {
  return e === handoff.event ? handoff.line : writeEvent(e);
}

/**
 * The line the emitter composed for `e` (exactly JSON.stringify's), while the emitter hands `e`
 * to a sink's write; undefined for any other event.
 */
export function composedLine(e: object): string | undefined {
  return e === handoff.event ? handoff.line : undefined;
}
