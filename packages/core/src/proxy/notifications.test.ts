import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEmitter, memorySink, type ActivityEvent, type EventSink } from '../entry/emit.js';
import { validateEvent } from '../entry/validate.js';
import { createNotificationHandler, fromRegistryNotification } from '../entry/proxy.js';
import { DIGEST as D, MANIFEST, notificationEvent as event } from '../../test/registry-notification.js';

const B = `sha256:${'d'.repeat(64)}`;

describe('fromRegistryNotification', () => {
  it('turns manifest push, pull and delete into image events, and skips blobs, mounts and tag deletes', () => {
    const out = fromRegistryNotification(
      {
        events: [
          event('e1', 'push', { mediaType: 'application/octet-stream', repository: 'ns1/app', digest: B }),
          event('e2', 'push', { mediaType: MANIFEST, repository: 'ns1/app', digest: D, tag: '1.0' }),
          event('e3', 'pull', { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', repository: 'ns1/team/app', digest: D }),
          event('e4', 'mount', { mediaType: 'application/octet-stream', repository: 'ns1/app', digest: B }),
          event('e5', 'delete', { repository: 'ns1/app', digest: D }),
          event('e6', 'delete', { repository: 'ns1/app', tag: '1.0' }),
        ],
      },
      { publicHost: 'jp.icr.io' },
    );
    expect(out.map((e) => [e.id, e.action, (e.input.target as { reference: string }).reference])).toEqual([
      ['e2', 'container-registry.image.push', 'jp.icr.io/ns1/app:1.0'],
      ['e3', 'container-registry.image.pull', `jp.icr.io/ns1/team/app@${D}`],
      ['e5', 'container-registry.image.delete', `jp.icr.io/ns1/app@${D}`],
    ]);
    expect(out[0]!.input).toMatchObject({ initiator: { id: 'alice', credential: 'user', ip: '192.0.2.9', agent: 'skopeo/1.9.3' }, target: { digest: D }, time: Date.parse('2026-03-04T05:06:07.123Z') });
    const emitter = createEmitter({ accountId: 'acct1', region: 'jp-tok', sink: memorySink() });
    for (const e of out) expect(validateEvent(emitter.build(e.action, e.input as never)).ok).toBe(true);
  });

  it.each([
    [{}, /expected \{"events": \[\.\.\.\]\}/],
    [{ events: [{ action: 'push' }] }, /events\[0\]: no id/],
    [{ events: [event('x', 'push', { mediaType: MANIFEST, repository: 'NS/App', digest: D })] }, /events\[0\]: invalid target\.repository "NS\/App"/],
    [{ events: [event('x', 'push', { mediaType: MANIFEST, repository: 'ns/app' })] }, /neither a tag nor a digest/],
  ])("refuses envelope %#", (envelope, message) => {
    expect(() => fromRegistryNotification(envelope, { publicHost: 'us.icr.io' })).toThrow(message);
  });
});

describe('createNotificationHandler', () => {
  async function post(port: number, body: unknown) {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.text() };
  }

  it('answers 2xx only once the events are written; a retried envelope gives each event once', async () => {
    let failing = true;
    const inner = memorySink();
    const sink: EventSink = { write: (e) => (failing ? Promise.reject(new Error('ENOSPC')) : inner.write(e)), flush: () => inner.flush(), close: () => inner.close() };
    const handler = createNotificationHandler({ emitter: createEmitter({ accountId: 'acct1', region: 'us-south', sink }), publicHost: 'us.icr.io' });
    const server = http.createServer(handler.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const envelope = { events: [event('n1', 'push', { mediaType: MANIFEST, repository: 'ns1/app', digest: D, tag: '2' }), event('n2', 'pull', { mediaType: MANIFEST, repository: 'ns1/app', digest: D })] };
      expect((await post(port, envelope)).status).toBe(503);
      expect(inner.events).toHaveLength(0);
      failing = false;
      expect((await post(port, envelope)).status).toBe(200);
      expect((await post(port, envelope)).status).toBe(200);
      expect((inner.events as ActivityEvent[]).map((e) => e.action)).toEqual(['container-registry.image.push', 'container-registry.image.pull']);
      // A retry that arrives while the first delivery is still being written gives no second event.
      failing = false;
      const slowEnvelope = { events: [event('n3', 'push', { mediaType: MANIFEST, repository: 'ns1/app', digest: D, tag: '3' })] };
      const slow = inner.write.bind(inner);
      inner.write = (e) => new Promise((r) => setTimeout(r, 300)).then(() => slow(e));
      const both = await Promise.all([post(port, slowEnvelope), post(port, slowEnvelope)]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect((inner.events as ActivityEvent[]).filter((e) => e.target.name === 'us.icr.io/ns1/app:3')).toHaveLength(1);
      expect((await post(port, { nope: 1 })).status).toBe(400);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(405);
      await handler.drain();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
