import { ACCEPTED, type ActivityEvent, type EventSink } from '@regtrail/core/emit';

/** A sink that counts what it was given and what it accepted, and remembers the first failure. */
export interface CountingSink extends EventSink {
  /** Writes made (events the producer handed over). */
  readonly produced: number;
  /** Writes the sink accepted (resolved). */
  readonly accepted: number;
  /** The first write failure, if any. */
  readonly failure: { readonly err: unknown } | undefined;
}

/**
 * A sink that counts, for a producer that awaits every write (the simulator) into a sink that
 * accepts each write at once or not at all (the file sink): a failed write fails itself, and the
 * producer stops there. No promise of its own for a write the sink returned ACCEPTED for: the
 * emitter then resolves at once (this is simulate --out's hot path).
 */
export function counted(sink: EventSink): CountingSink {
  let failure: { err: unknown } | undefined;
  let produced = 0;
  let accepted = 0;
  const onAccepted = () => void accepted++;
  const onFailed = (err: unknown) => {
    failure ??= { err };
    throw err;
  };
  return {
    get produced() {
      return produced;
    },
    get accepted() {
      return accepted;
    },
    get failure() {
      return failure;
    },
    write(event: ActivityEvent) {
      if (failure) return Promise.reject(failure.err);
      produced++;
      let write: Promise<void>;
      try {
        write = sink.write(event);
      } catch (err) {
        write = Promise.reject(err);
      }
      if (write === ACCEPTED) {
        accepted++;
        return ACCEPTED;
      }
      return write.then(onAccepted, onFailed);
    },
    flush: async () => {
      if (failure) throw failure.err;
    },
    close: async () => {
      if (failure) throw failure.err;
    },
  };
}

/**
 * A sink for a producer that awaits every write (the simulator): writes go to the HTTP sink
 * without waiting for each to be on disk, up to `window` at a time, so that their fsyncs are
 * shared. A failed write fails the next write, flush or close. With `window` 1, each write is
 * awaited. Counts what was produced and accepted, for the summary.
 */
export function pipelined(sink: EventSink, guard: <T>(p: Promise<T>) => Promise<T> = (p) => p, window = 1024): CountingSink {
  // Writes in flight, counted: a Set of their promises would rehash its table every thousand or
  // so writes, tables that live long enough to be copied into V8's old generation.
  let inflight = 0;
  /** The producer waiting for room in the window (it awaits each write, so there is one at most). */
  let waiting: (() => void) | undefined;
  /** Whoever waits for every write to settle (flush, close). */
  let idle: (() => void)[] = [];
  const settled = () => {
    inflight--;
    const wake = waiting;
    waiting = undefined;
    wake?.();
    if (inflight === 0 && idle.length) {
      const all = idle;
      idle = [];
      for (const w of all) w();
    }
  };
  let failure: { err: unknown } | undefined;
  let produced = 0;
  let accepted = 0;
  const drain = async () => {
    if (inflight > 0) await new Promise<void>((resolve) => idle.push(resolve));
    if (failure) throw failure.err;
  };
  return {
    get produced() {
      return produced;
    },
    get accepted() {
      return accepted;
    },
    get failure() {
      return failure;
    },
    async write(event: ActivityEvent) {
      if (failure) throw failure.err;
      produced++;
      let write: Promise<void>;
      try {
        write = sink.write(event);
      } catch (err) {
        write = Promise.reject(err);
      }
      // Counted when the sink itself accepts, even should the guard have given up waiting.
      write.then(() => void accepted++, () => undefined);
      inflight++;
      guard(write).then(settled, (err: unknown) => {
        failure ??= { err };
        settled();
      });
      // Not Promise.race over the writes: that would put a reaction on every write in the window,
      // for every write once the window is full.
      while (inflight >= window) await new Promise<void>((resolve) => (waiting = resolve));
    },
    flush: drain,
    close: drain,
  };
}
