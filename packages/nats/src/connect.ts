import { connect, type NatsConnection } from '@nats-io/transport-node';
import { RegtrailError } from '@regtrail/core/emit';

export interface ConnectOptions {
  readonly servers: readonly string[];
  /** Client name, shown by the server's monitoring. */
  readonly name: string;
  readonly token?: string | undefined;
  /** Keep trying to reach a server for this long before giving up; 0 (the default) gives up after one round. */
  readonly waitForServerMs?: number;
  /** Called after each failed round of attempts, with the count so far and why. */
  readonly onConnectAttempt?: ((attempt: number, reason: string) => void) | undefined;
  readonly signal?: AbortSignal;
}

/** Why a connection failed, in a few words (no stack, no token). */
export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : (err as NodeJS.ErrnoException).code;
  return `${err.message}${code && !err.message.includes(code) ? ` (${code})` : ''}`;
}

/**
 * Connects to NATS. Once connected, the client reconnects on its own without limit (to any
 * server of the list, or of the cluster it learns), and what is published meanwhile waits in
 * the client. Before the first connection: one round over the servers, or rounds until
 * `waitForServerMs` has passed, then a one-line RegtrailError NATS_UNREACHABLE.
 */
export async function connectNats(o: ConnectOptions): Promise<NatsConnection> {
  const deadline = Date.now() + (o.waitForServerMs ?? 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({
        servers: [...o.servers],
        name: o.name,
        ...(o.token !== undefined ? { token: o.token } : {}),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: 5000,
        // Stack traces of asynchronous calls cost time on every request; errors here are one line anyway.
        noAsyncTraces: true,
      });
    } catch (err) {
      const reason = reasonOf(err);
      if (Date.now() >= deadline || o.signal?.aborted) {
        throw new RegtrailError('NATS_UNREACHABLE', `cannot reach NATS at ${o.servers.join(',')}: ${reason}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`);
      }
      o.onConnectAttempt?.(attempt, reason);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(0, deadline - Date.now()))));
    }
  }
}
