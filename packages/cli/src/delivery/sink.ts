import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHttpSink, type EventSink } from '@regtrail/core/emit';
import type { DeliverySettings } from './options.js';
import type { DeliveryStats } from './report.js';

/** The NATS client and the JetStream sink: loaded only for a nats:// sink (1 MB of live heap an HTTP sink does not need). */
type NatsModule = typeof import('@regtrail/nats');

/** What a command delivers to: the HTTP sink (with its spool) or the JetStream sink; the same counters. */
export interface DeliverySink extends EventSink {
  stats(): DeliveryStats;
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves when the sink can take events (spool open; or connected and the stream there). */
  readonly ready: Promise<void>;
}

/** The sink the settings name; with `dir` for the HTTP sink's spool, or the JetStream sink's overflow spool (--spool). */
function createSink(settings: DeliverySettings, dir: string | undefined, log: (level: string, message: string) => void, onProgress: ((s: DeliveryStats) => void) | undefined, nats: NatsModule | undefined): DeliverySink & { deadLetterFile?: string } {
  const logWarnings = (level: string, message: string) => {
    if (level === 'warn' || level === 'error') log(level, message);
  };
  if (settings.nats && nats) {
    const n = settings.nats;
    return nats.createJetStreamSink({
      servers: n.servers,
      ...(n.stream !== undefined ? { stream: n.stream } : {}),
      ...(n.subjectPrefix !== undefined ? { subjectPrefix: n.subjectPrefix } : {}),
      ...(n.replicas !== undefined ? { replicas: n.replicas } : {}),
      ...(settings.tokenEnv !== undefined ? { tokenEnv: settings.tokenEnv } : {}),
      waitForServerMs: n.waitForServerMs,
      ...(dir !== undefined ? { overflow: { spoolDir: dir } } : {}),
      onConnectAttempt: (attempt, reason) => log('warn', `cannot reach NATS at ${n.servers.join(',')} (${reason}); attempt ${attempt}, trying again`),
      flushTimeoutMs: settings.timeoutMs,
      log: logWarnings,
      ...(onProgress ? { onProgress } : {}),
    });
  }
  return createHttpSink({
    url: settings.url,
    spoolDir: dir!,
    ...(settings.tokenEnv !== undefined ? { tokenEnv: settings.tokenEnv } : {}),
    ...(settings.deadLetter !== undefined ? { deadLetterFile: settings.deadLetter } : {}),
    batch: { maxEvents: settings.maxEvents },
    flushTimeoutMs: settings.timeoutMs,
    requestTimeoutMs: Math.min(30_000, settings.timeoutMs),
    log: logWarnings,
    ...(onProgress ? { onProgress } : {}),
  });
}


export interface OpenedSink {
  readonly sink: DeliverySink & { deadLetterFile?: string };
  /** The spool directory; undefined for a nats:// sink without --spool. */
  readonly dir: string | undefined;
  /** Whether `dir` is a new temporary directory (no --spool given), to remove once it holds nothing. */
  readonly temporary: boolean;
  /** Where the events go, for people. */
  readonly where: string;
}

/**
 * Opens the sink the checked delivery settings name (HTTP with its spool, or JetStream for
 * nats://) and waits until it is ready. Without --spool the HTTP sink's spool is a new temporary
 * directory, and a JetStream sink has none (events wait in memory); with it, a JetStream sink
 * stacks events there while the server is unreachable (at start too) or memory is full. A sink that cannot open (spool, server unreachable, stream refused) rejects with its
 * one-line RegtrailError, with everything released. Shared by send/simulate/emit (openDelivery)
 * and the long-running proxy and notifications (openAuditSink).
 */
export async function openSink(settings: DeliverySettings, log: (level: string, message: string) => void, onProgress?: (s: DeliveryStats) => void): Promise<OpenedSink> {
  const temporary = !settings.nats && settings.spool === undefined;
  const dir = settings.nats ? settings.spool : (settings.spool ?? fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-spool-')));
  const nats = settings.nats ? await import('@regtrail/nats') : undefined;
  let sink: DeliverySink & { deadLetterFile?: string };
  try {
    sink = createSink(settings, dir, log, onProgress, nats);
  } catch (err) {
    if (temporary) fs.rmSync(dir!, { recursive: true, force: true });
    throw err;
  }
  try {
    await sink.ready;
  } catch (err) {
    await sink.close({ timeoutMs: 1 }).catch(() => undefined);
    if (temporary) fs.rmSync(dir!, { recursive: true, force: true });
    throw err;
  }
  const where = settings.nats ? `NATS stream ${settings.nats.stream ?? nats!.STREAM_DEFAULTS.name} at ${settings.nats.servers.join(',')}${dir !== undefined ? ` (overflow spool ${dir})` : ''}` : `${settings.url} (spool ${dir})`;
  return { sink, dir, temporary, where };
}
