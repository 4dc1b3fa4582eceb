/**
 * When and how long to retry. Exponential backoff with full jitter (a random delay between 0
 * and base·2^(attempt-1), capped), and a server's Retry-After as the lower bound.
 */

export interface RetryPolicy {
  /** First backoff ceiling, in ms. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling, in ms. */
  readonly maxDelayMs: number;
  /** Attempts per batch before it goes to the dead letter; Infinity (the default) keeps trying. */
  readonly maxAttempts: number;
  /** A Retry-After longer than this is cut to it. */
  readonly maxRetryAfterMs: number;
}

export type Verdict =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly retryAfterMs?: number }
  | { readonly kind: 'split' }
  | { readonly kind: 'reject' };

/** What a response status means for the batch that got it. */
export function classify(status: number, retryAfter: string | null, now = Date.now()): Verdict {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 413) return { kind: 'split' };
  // A redirect (never followed): the events stay in the spool until the endpoint answers at
  // this URL again, or the sink is pointed at the final one.
  if (status >= 300 && status < 400) return { kind: 'retry' };
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const ms = parseRetryAfter(retryAfter, now);
    return ms === undefined ? { kind: 'retry' } : { kind: 'retry', retryAfterMs: ms };
  }
  // Other 4xx (and anything odd, such as 1xx): retrying the same batch cannot help.
  return { kind: 'reject' };
}

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The delay before attempt `attempt + 1`, after `attempt` failed attempts (attempt >= 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), jittered);
}

/**
 * Sleeps, or rejects as soon as the signal aborts. The timer does not keep the process alive on
 * its own (the sink holds the process open while someone waits for flush or close).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
