import { RegtrailError } from '../errors.js';
import { serializeEvent } from '../event/serialize.js';
import type { ActivityEvent } from '../event/types.js';
import type { EventSink } from './sink.js';

/** A sink that keeps every event in memory, in order; for tests. */
export interface MemorySink extends EventSink {
  /** The events written so far, in order. */
  readonly events: readonly ActivityEvent[];
  readonly closed: boolean;
  /** The events as NDJSON lines (without newlines), as serialized when written, as a file sink writes them. */
  lines(): string[];
  clear(): void;
}

export function memorySink(): MemorySink {
  const events: ActivityEvent[] = [];
  const written: string[] = [];
  let closed = false;
  return {
    events,
    get closed() {
      return closed;
    },
    async write(event) {
      if (closed) throw new RegtrailError('SINK_CLOSED', 'cannot write to a closed memory sink');
      events.push(event);
      written.push(serializeEvent(event));
    },
    async flush() {},
    async close() {
      closed = true;
    },
    lines: () => [...written],
    clear: () => {
      events.length = 0;
      written.length = 0;
    },
  };
}
