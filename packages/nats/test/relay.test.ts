import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLocator, memorySink, readDeadLetters, simulate, type ActivityEvent } from '@regtrail/core/emit';
import { createJetStreamSink, createRelay } from '../src/index.js';
import { Receiver } from '../../core/test/receiver.js';
import { haveNatsServer, startNatsServer, stopAll, type NatsServer } from './nats-server.js';
import { streamState } from './stream-read.js';

async function until(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!haveNatsServer)('createRelay: JetStream → the HTTP delivery, acknowledging after a 2xx', () => {
  let server: NatsServer;
  const receiver = new Receiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-relay-'));
  let events: ActivityEvent[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    await receiver.start();
    const mem = memorySink();
    await simulate({ count: 1200, seed: 'relay-lib', start: new Date('2025-06-01T00:00:00Z'), rate: 50, region: 'us-south', sink: mem });
    events = [...mem.events];
    const sink = createJetStreamSink({ servers: server.url, log: false });
    await Promise.all(events.map((e) => sink.write(e)));
    await sink.close();
  });
  afterAll(async () => {
    await receiver.stop();
    await stopAll([server]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('splits on 413, honours Retry-After, dead-letters what one location refuses for good, and acknowledges everything only once handled', async () => {
    // The location with the fewest events refuses them all (400): they go to the dead letter.
    const locate = createEventLocator();
    const counts = new Map<string, number>();
    for (const e of events) counts.set(locate(e), (counts.get(locate(e)) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(1);
    const refused = [...counts].sort((a, b) => a[1] - b[1])[0]![0];
    let retryAfterSent = false;
    receiver.behave = ({ ids, path: p }) => {
      if (p.startsWith(`/${refused}/`)) return { status: 400, body: 'unknown tenant' };
      if (ids.length > 40) return { status: 413 };
      if (!retryAfterSent) {
        retryAfterSent = true;
        return { status: 429, headers: { 'retry-after': '1' } };
      }
      return 'accept';
    };
    const deadLetterFile = path.join(dir, 'dead.ndjson');
    const relay = createRelay({
      servers: server.url,
      consumer: 'lib',
      fetchBatch: 200,
      http: { url: receiver.url(), deadLetterFile, batch: { maxEvents: 100 }, log: false },
      log: false,
    });
    await relay.ready;
    await until('every message acknowledged', async () => {
      const s = await streamState(server.url, 'REGTRAIL', 'lib');
      return s.pending === 0 && s.ackPending === 0 && relay.stats().acked === events.length;
    }, 60_000);
    const stats = relay.stats();
    await relay.stop();
    const dead = await readDeadLetters(deadLetterFile);
    const deadIds = new Set(dead.map((d) => (d.event as { id: string }).id));
    expect(dead.every((d) => d.status === 400 && d.location === refused)).toBe(true);
    expect(deadIds.size).toBeGreaterThan(0);
    // Each event either reached the receiver or is in the dead-letter file: none lost, none both.
    for (const e of events) expect(receiver.accepted.has(e.id!) !== deadIds.has(e.id!), e.id).toBe(true);
    expect(receiver.requests.filter((q) => q.ids.length > 40 && !q.path.startsWith(`/${refused}/`)).every((q) => typeof q.reply === 'object' && q.reply.status === 413)).toBe(true);
    expect(receiver.requests.some((q) => typeof q.reply === 'object' && q.reply.status === 413)).toBe(true);
    expect(receiver.requests.some((q) => typeof q.reply === 'object' && q.reply.status === 429)).toBe(true);
    expect(stats).toMatchObject({ received: events.length, acked: events.length, naked: 0, inFlight: 0 });
    expect(stats.http.deadLettered).toBe(deadIds.size);
  });

  it('holds at most fetchBatch × parallel messages, and keeps them alive past the ack wait while the endpoint fails', async () => {
    // The endpoint answers 503 for 2.5 s, more than twice the ack wait: without the relay's
    // "working" signals the server would hand the held messages out again.
    const failUntil = Date.now() + 2500;
    receiver.behave = () => (Date.now() < failUntil ? { status: 503 } : 'accept');
    const [fetchBatch, parallel] = [100, 3];
    const relay = createRelay({
      servers: server.url,
      consumer: 'bounded',
      fetchBatch,
      parallel,
      ackWaitMs: 1000,
      http: { url: receiver.url(), deadLetterFile: path.join(dir, 'dead-bounded.ndjson'), batch: { maxEvents: 50 }, retry: { baseDelayMs: 50, maxDelayMs: 200 }, log: false },
      log: false,
    });
    await relay.ready;
    let most = 0;
    await until('every message acknowledged', () => {
      most = Math.max(most, relay.stats().inFlight);
      return relay.stats().acked === events.length;
    }, 60_000);
    const stats = relay.stats();
    await relay.stop();
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(fetchBatch * parallel);
    expect(stats).toMatchObject({ received: events.length, redelivered: 0, acked: events.length, naked: 0, inFlight: 0 });
    expect(stats.http.retried).toBeGreaterThan(0);
    expect(await streamState(server.url, 'REGTRAIL', 'bounded')).toMatchObject({ pending: 0, ackPending: 0 });
  });

  it('refuses a stream that does not exist, in one line', async () => {
    const relay = createRelay({ servers: server.url, stream: 'NOPE', http: { url: receiver.url(), deadLetterFile: path.join(dir, 'nope.ndjson') }, log: false });
    await expect(relay.ready).rejects.toThrow(/^stream NOPE does not exist \(a JetStream sink creates it\)$/);
    await relay.stop();
  });
});
