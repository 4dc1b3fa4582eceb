import { ACCEPTED, type ActivityEvent, type EventSink } from '@regtrail/core/emit';
import type { StallWatchdog } from './watchdog.js';

/** A sink that counts what it was given and what it accepted, and remembers the first failure. */
export interface CountingSink extends EventSink {
  /** Writes made (events the producer handed over). */
  readonly produced: number;
  /** Writes the sink accepted (resolved). */
  readonly accepted: number;
  /** The first write failure, if any. */
  readonly failure: { readonly err: unknown } | undefined;
}

/** What both sinks below share: the counts, the first failure, and a write that never throws. */
abstract class Counting implements CountingSink {
  protected producedCount = 0;
  protected acceptedCount = 0;
  protected failed: { err: unknown } | undefined;

  get produced(): number {
    return this.producedCount;
  }

  get accepted(): number {
    return this.acceptedCount;
  }

  get failure(): { readonly err: unknown } | undefined {
    return this.failed;
  }

  /** Counts a write and hands it to the sink: a sink that throws instead of rejecting gives a rejection. */
  protected start(sink: EventSink, event: ActivityEvent): Promise<void> {
    this.producedCount++;
    try {
      return sink.write(event);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  abstract write(event: ActivityEvent): Promise<void>;
  abstract flush(): Promise<void>;
  abstract close(): Promise<void>;
}

/**
 * A sink that counts, for a producer that awaits every write (the simulator) into a sink that
 * accepts each write at once or not at all (the file sink): a failed write fails itself, and the
 * producer stops there. No promise of its own for a write the sink returned ACCEPTED for: the
 * emitter then resolves at once (this is simulate --out's hot path).
 */
export function counted(sink: EventSink): CountingSink {
  return new Counted(sink);
}

class Counted extends Counting {
  private readonly onAccepted = () => void this.acceptedCount++;
  private readonly onFailed = (err: unknown) => {
    this.failed ??= { err };
    throw err;
  };

  constructor(private readonly sink: EventSink) {
    super();
  }

  write(event: ActivityEvent): Promise<void> {
    if (this.failed) return Promise.reject(this.failed.err);
    const write = this.start(this.sink, event);
    if (write === ACCEPTED) {
      this.acceptedCount++;
      return ACCEPTED;
    }
    return write.then(this.onAccepted, this.onFailed);
  }

  async flush(): Promise<void> {
    if (this.failed) throw this.failed.err;
  }

  close(): Promise<void> {
    return this.flush();
  }
}

/**
 * A sink for a producer that awaits every write (the simulator): writes go to the HTTP sink
 * without waiting for each to be on disk, up to `window` at a time, so that their fsyncs are
 * shared. A failed write fails the next write, flush or close. With `window` 1, each write is
 * awaited. Counts what was produced and accepted, for the summary.
 */
export function pipelined(sink: EventSink, watchdog?: Pick<StallWatchdog, 'watch'>, window = 1024): CountingSink {
  return new Pipelined(sink, watchdog, window);
}

class Pipelined extends Counting {
  // Writes in flight, counted: a Set of their promises would rehash its table every thousand or
  // so writes, tables that live long enough to be copied into V8's old generation.
  private inflight = 0;
  /** Set by the watchdog: the sink made no progress for its time limit; nothing waits for the writes in flight any more. */
  private stalled = false;
  /** The producer waiting for room in the window (it awaits each write, so there is one at most). */
  private waiting: (() => void) | undefined;
  /** Whoever waits for every write to settle (flush, close). */
  private idle: (() => void)[] = [];
  private readonly onAccepted = () => {
    this.acceptedCount++;
    this.settled();
  };
  private readonly settled = () => {
    this.inflight--;
    this.wake(this.inflight === 0);
  };

  /** Lets the producer waiting for room look again, and (`idle`) whoever waits for every write. */
  private wake(idle: boolean): void {
    const producer = this.waiting;
    this.waiting = undefined;
    producer?.();
    if (idle && this.idle.length) {
      const all = this.idle;
      this.idle = [];
      for (const w of all) w();
    }
  }
  private readonly onFailed = (err: unknown) => {
    this.failed ??= { err };
    this.settled();
  };

  constructor(
    private readonly sink: EventSink,
    watchdog: Pick<StallWatchdog, 'watch'> | undefined,
    private readonly window: number,
  ) {
    super();
    // A stalled sink fails the producer's next write and its flush; the writes in flight may
    // still settle later (settled() counts them down), or never.
    watchdog?.watch(
      () => this.inflight,
      (err) => {
        this.failed ??= { err };
        this.stalled = true;
        this.wake(true);
      },
    );
  }

  /**
   * Not an async function: a write the window has room for returns ACCEPTED (no promise of its
   * own), and the emitter then resolves without a reaction.
   */
  write(event: ActivityEvent): Promise<void> {
    if (this.failed) return Promise.reject(this.failed.err);
    this.inflight++;
    this.start(this.sink, event).then(this.onAccepted, this.onFailed);
    return this.room();
  }

  /**
   * Resolves when the window has room again. Not Promise.race over the writes: that would put a
   * reaction on every write in the window, for every write once the window is full.
   */
  private readonly room = (): Promise<void> => (this.stalled || this.inflight < this.window ? ACCEPTED : new Promise<void>((resolve) => (this.waiting = resolve)).then(this.room));

  async flush(): Promise<void> {
    if (this.inflight > 0 && !this.stalled) await new Promise<void>((resolve) => this.idle.push(resolve));
    if (this.failed) throw this.failed.err;
  }

  close(): Promise<void> {
    return this.flush();
  }
}
