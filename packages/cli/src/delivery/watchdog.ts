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
  let stall!: (err: RegtrailError) => void;
  const stalled = new Promise<never>((_, reject) => (stall = reject));
  stalled.catch(() => undefined);
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
      outstanding++;
      return Promise.race([write, stalled]).finally(() => outstanding--);
    },
    stop: () => clearInterval(timer),
  };
}
