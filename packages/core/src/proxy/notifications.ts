import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegtrailError } from '../errors.js';
import type { Emitter } from '../event/emitter.js';
import type { EmitInput, EmittableActionId } from '../event/input.js';
import { BOUNDS } from '../hot-state.js';
import { parseImageReference } from '../regions/image-reference.js';
import { serviceId } from '../catalog/catalog.js';
import { isEventError } from './event-error.js';

/**
 * CNCF distribution's notifications (`notifications.endpoints` in the registry's config): POSTs of
 * `application/vnd.docker.distribution.events.v1+json` envelopes, `{"events": [...]}`. Manifest
 * push, pull and delete events are image operations; blob events are parts of them and are
 * ignored, and so are mounts.
 */

/** One event an envelope yields: the emitter's action and input, and the notification's id. */
export interface NotificationEvent {
  /** The notification event's id (the registry sends the same id again when it retries). */
  readonly id: string;
  readonly action: EmittableActionId;
  readonly input: EmitInput<string>;
}

export interface NotificationOptions {
  /** The registry's public host name (us.icr.io), naming the images. */
  publicHost: string;
}

/** Media types of manifests and indexes: an event about one of them is an image operation. */
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

const ACTIONS: Readonly<Record<string, string>> = { push: 'image.push', pull: 'image.pull', delete: 'image.delete' };
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

const bad = (message: string): never => {
  throw new RegtrailError('BAD_NOTIFICATION', message);
};
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const object = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** `10.0.0.1:5123` or `[::1]:5123` → the address alone. */
function addressOf(addr: string | undefined): string {
  if (!addr) return '';
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(addr);
  if (v6) return v6[1]!;
  const colon = addr.lastIndexOf(':');
  return colon !== -1 && addr.indexOf(':') === colon ? addr.slice(0, colon) : addr;
}

/**
 * The emitter inputs of one notification envelope: one per manifest push, pull or delete, in
 * order. A delete event carries no media type; distribution sends one for the manifest (with its
 * digest) and one for each tag it had (with the tag alone, skipped here). A client that deletes a
 * layer by digest makes a delete event that cannot be told apart from a manifest's.
 * Throws a RegtrailError (BAD_NOTIFICATION) for an envelope that is not one.
 */
export function fromRegistryNotification(envelope: unknown, options: NotificationOptions): NotificationEvent[] {
  const events = object(envelope).events;
  if (!Array.isArray(events)) bad('not a registry notification envelope: expected {"events": [...]}');
  if (!parseImageReference(`${options.publicHost}/ns/repo:tag`).region) bad(`invalid public host ${JSON.stringify(options.publicHost)}: not the domain of a Container Registry region`);
  const out: NotificationEvent[] = [];
  (events as unknown[]).forEach((raw, i) => {
    const e = object(raw);
    const id = text(e.id) ?? bad(`events[${i}]: no id`);
    const name = ACTIONS[String(e.action)];
    if (!name) return; // mount, or anything newer: not an image operation
    const target = object(e.target);
    const mediaType = text(target.mediaType);
    if (mediaType !== undefined ? !MANIFEST_TYPES.has(mediaType) : e.action !== 'delete') return; // a blob
    const repository = text(target.repository);
    if (!repository || !REPOSITORY.test(repository)) bad(`events[${i}]: invalid target.repository ${JSON.stringify(target.repository)}`);
    const tag = text(target.tag);
    const digest = text(target.digest);
    if (tag !== undefined && !TAG.test(tag)) bad(`events[${i}]: invalid target.tag ${JSON.stringify(tag)}`);
    if (digest !== undefined && !DIGEST.test(digest)) bad(`events[${i}]: invalid target.digest ${JSON.stringify(digest)}`);
    if (tag === undefined && digest === undefined) bad(`events[${i}]: the target names neither a tag nor a digest`);
    // Deleting a manifest also removes its tags, each reported as a delete of the tag alone: the image delete is the one with the digest.
    if (e.action === 'delete' && digest === undefined) return;
    const reference = tag !== undefined ? `${options.publicHost}/${repository}:${tag}` : `${options.publicHost}/${repository}@${digest}`;
    const timestamp = text(e.timestamp);
    const time = timestamp !== undefined ? Date.parse(timestamp) : NaN;
    if (timestamp !== undefined && Number.isNaN(time)) bad(`events[${i}]: invalid timestamp ${JSON.stringify(timestamp)}`);
    const actor = text(object(e.actor).name);
    const request = object(e.request);
    const agent = text(request.useragent);
    out.push({
      id,
      action: `${serviceId}.${name}` as EmittableActionId,
      input: {
        initiator: {
          id: actor ?? 'anonymous',
          name: actor ?? 'anonymous',
          type: 'user',
          credential: actor === 'iamapikey' ? 'apikey' : actor ? 'user' : 'public-access',
          ip: addressOf(text(request.addr)),
          ...(agent ? { agent: agent.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 256) } : {}),
        },
        target: { type: 'image', reference, ...(digest !== undefined && tag !== undefined ? { digest } : {}) },
        outcome: 'success',
        status: 200,
        ...(Number.isNaN(time) ? {} : { time }),
      },
    });
  });
  return out;
}

export interface NotificationHandlerOptions extends NotificationOptions {
  emitter: Emitter;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Told about each event written, and each duplicate skipped. */
  observer?: { emitted?(action: string): void; duplicate?(): void; failed?(reason: string): void };
}

/** The media type of envelopes (a body of another type, or none, is taken as JSON too). */
const ENVELOPE_TYPE = 'application/vnd.docker.distribution.events.v1+json';
/** Envelope bodies, at most: the registry sends a few events per envelope. */
const MAX_ENVELOPE = 4 * 1024 * 1024;

/**
 * A request handler for the registry's notifications endpoint: it answers 200 only once every
 * event of the envelope is written to the emitter's sink (so a durable sink makes them safe),
 * and 503 otherwise, so that the registry sends the envelope again. An event whose id was
 * written before (a retry) is not written twice; ids are remembered up to BOUNDS.notificationIds.
 */
export function createNotificationHandler(options: NotificationHandlerOptions): { handle: (req: IncomingMessage, res: ServerResponse) => void; drain(): Promise<void> } {
  const { emitter, publicHost, observer = {} } = options;
  const log = options.log ?? (() => undefined);
  const seen = new Set<string>();
  /** Writes under way, by notification id (at most one per envelope in flight). */
  const pending = new Map<string, Promise<unknown>>();
  const remember = (id: string) => {
    seen.add(id);
    // A Set iterates in insertion order: the oldest id goes first.
    if (seen.size > BOUNDS.notificationIds) seen.delete(seen.values().next().value!);
  };
  let inFlight = 0;
  let idle: (() => void)[] = [];
  const reply = (res: ServerResponse, status: number, message: string) => {
    const body = `${JSON.stringify({ status, message })}\n`;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };
  const done = () => {
    if (--inFlight === 0) {
      const waiting = idle;
      idle = [];
      waiting.forEach((w) => w());
    }
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      req.resume();
      reply(res, 405, 'POST registry notification envelopes here');
      return;
    }
    inFlight++;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_ENVELOPE) chunks.push(c);
    });
    req.on('error', done);
    req.on('end', () => {
      void (async () => {
        if (size > MAX_ENVELOPE) return reply(res, 413, `an envelope is at most ${MAX_ENVELOPE} bytes`);
        const type = String(req.headers['content-type'] ?? ENVELOPE_TYPE).split(';')[0]!.trim();
        if (type !== ENVELOPE_TYPE && type !== 'application/json') return reply(res, 415, `expected ${ENVELOPE_TYPE}`);
        let events: NotificationEvent[];
        try {
          events = fromRegistryNotification(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, { publicHost });
        } catch (err) {
          const message = err instanceof SyntaxError ? 'the body is not JSON' : (err as Error).message;
          log('warn', `a notification was refused: ${message}`);
          return reply(res, 400, message);
        }
        let failed = 0;
        for (const e of events) {
          // A retry can arrive while the first delivery is still being written (the registry timed
          // out waiting): wait for that write, then decide.
          const writing = pending.get(e.id);
          if (writing) await writing.catch(() => undefined);
          if (seen.has(e.id)) {
            observer.duplicate?.();
            continue;
          }
          const write = emitter.emit(e.action as never, e.input as never);
          pending.set(e.id, write);
          try {
            await write;
            remember(e.id);
            observer.emitted?.(e.action.slice(e.action.indexOf('.') + 1));
          } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            if (isEventError(err)) {
              // Sending it again cannot help: say so, and do not make the registry retry forever.
              remember(e.id);
              log('error', `notification ${e.id}: no event: ${reason}`);
              continue;
            }
            failed++;
            observer.failed?.(reason);
            log('error', `notification ${e.id}: the event could not be written: ${reason}`);
          } finally {
            if (pending.get(e.id) === write) pending.delete(e.id);
          }
        }
        if (failed) return reply(res, 503, `${failed} event(s) could not be written; send the envelope again`);
        reply(res, 200, `${events.length} event(s) written`);
      })().finally(done);
    });
  };
  return {
    handle,
    drain: () =>
      new Promise<void>((resolve) => {
        if (inFlight === 0) resolve();
        else idle.push(resolve);
      }),
  };
}
