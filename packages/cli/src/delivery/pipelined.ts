import type { ActivityEvent, EventSink } from '@regtrail/core/emit';

/**
 * A sink for a producer that awaits every write (the simulator): writes go to the HTTP sink
 * without waiting for each to be on disk, up to `window` at a time, so that their fsyncs are
 * shared. A failed write fails the next write, flush or close.
 */
export function pipelined(sink: EventSink, guard: <T>(p: Promise<T>) => Promise<T> = (p) => p, window = 1024): EventSink {
  const inflight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  const drain = async () => {
    await Promise.all([...inflight]);
    if (failure) throw failure.err;
  };
  return {
    async write(event: ActivityEvent) {
      if (failure) throw failure.err;
      const p: Promise<void> = guard(sink.write(event)).then(
        () => void inflight.delete(p),
        (err: unknown) => {
          failure ??= { err };
          inflight.delete(p);
        },
      );
      inflight.add(p);
      if (inflight.size >= window) await Promise.race(inflight);
    },
    flush: drain,
    close: drain,
  };
}
