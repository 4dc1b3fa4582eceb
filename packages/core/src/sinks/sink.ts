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
