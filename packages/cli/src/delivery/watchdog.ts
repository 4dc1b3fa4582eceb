import { RegtrailError } from '@regtrail/core/catalog';
import type { HttpSinkStats } from '@regtrail/core/emit';

export interface StallWatchdog {
  /**
   * The promise of a write, or a STALLED RegtrailError when the sink has made no progress
   * (nothing spooled, sent or dead-lettered) for `timeoutMs` while writes wait: the endpoint is
   * down and the sink's queue is full, so reading stops instead of waiting without end.
   */
  guard<T>(write: Promise<T>): Promise<T>;
  stop(): void;
}

/** Watches the sink's counters while writes are outstanding. */
export function stallWatchdog(stats: () => Omit<HttpSinkStats, 'lost'>, timeoutMs: number): StallWatchdog {
  let outstanding = 0;
  let lastCount = -1;
  let lastProgress = Date.now();
  /**
   * The rejections of the writes being waited for. Not one shared never-settling promise raced
   * against each write: every Promise.race on it would leave a reaction on it for good (a heap
   * that grows with every event sent).
   */
  const waiting = new Set<(err: RegtrailError) => void>();
  let stalled: RegtrailError | undefined;
  const stall = (err: RegtrailError) => {
    stalled = err;
    for (const reject of waiting) reject(err);
    waiting.clear();
  };
  const timer = setInterval(() => {
    const s = stats();
    const count = s.sent + s.deadLettered + s.spooled;
    if (count !== lastCount || outstanding === 0) {
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
        waiting.add(reject);
        write.then(
          (value) => {
            outstanding--;
            waiting.delete(reject);
            resolve(value);
          },
          (err: unknown) => {
            outstanding--;
            waiting.delete(reject);
            reject(err);
          },
        );
      });
    },
    stop: () => clearInterval(timer),
  };
}
