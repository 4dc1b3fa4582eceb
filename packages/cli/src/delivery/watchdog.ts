import { RegtrailError } from '@regtrail/core/catalog';
import type { HttpSinkStats } from '@regtrail/core/emit';

export interface StallWatchdog {
  /**
   * The promise of a write, or a STALLED RegtrailError when the sink has made no progress
   * (nothing spooled, sent or dead-lettered) for `timeoutMs` while writes wait: the endpoint is
   * down and the sink's queue is full, so reading stops instead of waiting without end.
   */
  guard<T>(write: Promise<T>): Promise<T>;
  /**
   * The same watch for a producer that counts its own writes in flight (the pipelined window), with
   * no promise per write: `inFlight` is read at each check, and `onStall` is called once, with the
   * STALLED error, when the sink made no progress for `timeoutMs` while writes were in flight.
   */
  watch(inFlight: () => number, onStall: (err: RegtrailError) => void): void;
  stop(): void;
}

/** Watches the sink's counters while writes are outstanding. */
export function stallWatchdog(stats: () => Omit<HttpSinkStats, 'lost'>, timeoutMs: number): StallWatchdog {
  let outstanding = 0;
  let lastCount = -1;
  let lastProgress = Date.now();
  /**
   * The rejections of the writes being waited for, as a list linked through the writes' own
   * nodes. Not one shared never-settling promise raced against each write: every Promise.race on
   * it would leave a reaction on it for good (a heap that grows with every event sent). Not a Set
   * either: with a thousand writes in flight it rehashes its table every thousand or so writes,
   * tables that live long enough to be copied into V8's old generation.
   */
  const waiting: Waiting = { prev: undefined, next: undefined, reject: () => undefined };
  waiting.prev = waiting.next = waiting;
  let stalled: RegtrailError | undefined;
  const watchers: { inFlight: () => number; onStall: (err: RegtrailError) => void }[] = [];
  const stall = (err: RegtrailError) => {
    stalled = err;
    for (const w of watchers) w.onStall(err);
    for (let n = waiting.next!; n !== waiting; ) {
      const next = n.next!;
      n.prev = n.next = undefined;
      n.reject(err);
      n = next;
    }
    waiting.prev = waiting.next = waiting;
  };
  const timer = setInterval(() => {
    const s = stats();
    const count = s.sent + s.deadLettered + s.spooled;
    if (count !== lastCount || (outstanding === 0 && watchers.every((w) => w.inFlight() === 0))) {
      lastCount = count;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress >= timeoutMs) {
      stall(new RegtrailError('STALLED', `stopped reading: nothing was delivered for ${timeoutMs / 1000} s while ${s.pending} event(s) waited to be sent`));
    }
  }, Math.min(250, timeoutMs / 4));
  timer.unref();
  return {
    guard<T>(write: Promise<T>): Promise<T> {
      if (stalled) {
        write.catch(() => undefined);
        return Promise.reject(stalled);
      }
      outstanding++;
      return new Promise<T>((resolve, reject) => {
        const node: Waiting = { prev: waiting.prev, next: waiting, reject };
        waiting.prev!.next = node;
        waiting.prev = node;
        const unlink = () => {
          outstanding--;
          // Unlinked already when a stall rejected every waiting write.
          if (node.prev !== undefined) {
            node.prev.next = node.next;
            node.next!.prev = node.prev;
          }
        };
        write.then(
          (value) => {
            unlink();
            resolve(value);
          },
          (err: unknown) => {
            unlink();
            reject(err);
          },
        );
      });
    },
    watch(inFlight, onStall) {
      if (stalled) onStall(stalled);
      else watchers.push({ inFlight, onStall });
    },
    stop: () => clearInterval(timer),
  };
}

/** A write waiting on the watchdog: a node of its circular list (the list's head is a node of its own). */
interface Waiting {
  prev: Waiting | undefined;
  next: Waiting | undefined;
  readonly reject: (err: RegtrailError) => void;
}
