import { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos, millis, type NatsConnection } from '@nats-io/transport-node';
import { RegtrailError } from '@regtrail/core/emit';

/** The stream regtrail publishes to and relays from. */
export interface StreamSpec {
  /** Stream name; `REGTRAIL` by default. */
  readonly name: string;
  /** Subjects are `<prefix>.<location>`; `regtrail.events` by default. */
  readonly subjectPrefix: string;
  /** When the stream is created: copies kept (1, or 3 on a three-node cluster). */
  readonly replicas: number;
  /** When the stream is created: how long a message id is remembered, so that a resend is dropped. */
  readonly duplicateWindowMs: number;
  /** When the stream is created: how long messages are kept (0: no limit). */
  readonly maxAgeMs: number;
  /** When the stream is created: the largest size of the stream (-1: no limit). */
  readonly maxBytes: number;
}

export const STREAM_DEFAULTS: StreamSpec = {
  name: 'REGTRAIL',
  subjectPrefix: 'regtrail.events',
  replicas: 1,
  duplicateWindowMs: 2 * 60_000,
  maxAgeMs: 7 * 24 * 3600_000,
  maxBytes: -1,
};

const NAME = /^[A-Za-z0-9_-]+$/;
const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function checkSpec(spec: StreamSpec): StreamSpec {
  if (!NAME.test(spec.name)) throw new RegtrailError('BAD_OPTION', `stream name ${JSON.stringify(spec.name)} may hold only letters, digits, - and _`);
  if (!PREFIX.test(spec.subjectPrefix)) throw new RegtrailError('BAD_OPTION', `subject prefix ${JSON.stringify(spec.subjectPrefix)} must be dot-separated tokens of letters, digits, - and _ (such as regtrail.events)`);
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1 || spec.replicas > 5) throw new RegtrailError('BAD_OPTION', `replicas must be 1 to 5, not ${spec.replicas}`);
  if (!(spec.duplicateWindowMs > 0)) throw new RegtrailError('BAD_OPTION', `duplicate window must be positive, not ${spec.duplicateWindowMs} ms`);
  return spec;
}

/** The subject of a location's events. */
export function subjectFor(prefix: string, location: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(location)) throw new RegtrailError('UNROUTABLE', `location ${JSON.stringify(location)} cannot be a subject token`);
  return `${prefix}.${location}`;
}

/** Whether a stream subject filter takes every subject of `wanted` (such as `regtrail.events.>`). */
function covers(filter: string, wanted: string): boolean {
  const f = filter.split('.');
  const w = wanted.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return true;
    if (i >= w.length || w[i] === '>') return false;
    if (f[i] !== '*' && f[i] !== w[i]) return false;
  }
  return f.length === w.length;
}

/**
 * Checks that the stream exists and takes `<prefix>.>`, or creates it (when `create` is true;
 * 'never': a consumer, which only needs the stream to exist, whatever it takes). A stream
 * that exists is never changed: its duplicate window and replicas are what its operator chose;
 * a stream that does not take the subjects is an error (publishing would fail on every event).
 */
export async function ensureStream(nc: NatsConnection, spec: StreamSpec, { create }: { create: boolean | 'never' }): Promise<{ jsm: JetStreamManager; info: StreamInfo; created: boolean }> {
  const jsm = await jetstreamManager(nc, { timeout: 10_000 }).catch((err: unknown) => {
    throw new RegtrailError('NO_JETSTREAM', `JetStream is not available on this NATS server (start nats-server with -js): ${err instanceof Error ? err.message : String(err)}`);
  });
  const subject = `${spec.subjectPrefix}.>`;
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(spec.name);
  } catch (err) {
    if (!(err instanceof Error && /not found/i.test(err.message))) throw new RegtrailError('NO_JETSTREAM', `cannot read stream ${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (info) {
    // A relay reads whatever the stream holds; a producer must publish where the stream takes it.
    if (create !== 'never' && !(info.config.subjects ?? []).some((f) => covers(f, subject))) {
      throw new RegtrailError('STREAM_MISMATCH', `stream ${spec.name} takes ${JSON.stringify(info.config.subjects ?? [])}, not ${subject}; choose another stream name or subject prefix`);
    }
    return { jsm, info, created: false };
  }
  if (create !== true) throw new RegtrailError('NO_STREAM', `stream ${spec.name} does not exist (a JetStream sink creates it)`);
  try {
    info = await jsm.streams.add({
      name: spec.name,
      subjects: [subject],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      // A full stream refuses new events (the producers wait and retry) rather than dropping old ones not yet relayed.
      discard: DiscardPolicy.New,
      num_replicas: spec.replicas,
      duplicate_window: nanos(spec.duplicateWindowMs),
      max_age: spec.maxAgeMs > 0 ? nanos(spec.maxAgeMs) : 0,
      max_bytes: spec.maxBytes,
    });
  } catch (err) {
    // Another producer may have created it at the same moment.
    info = await jsm.streams.info(spec.name).catch(() => undefined);
    if (!info) throw new RegtrailError('NO_STREAM', `cannot create stream ${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { jsm, info, created: true };
}

export function duplicateWindowOf(info: StreamInfo): number {
  return millis(info.config.duplicate_window ?? 0);
}
