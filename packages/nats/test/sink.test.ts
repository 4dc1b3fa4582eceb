import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLocator, memorySink, simulate, type ActivityEvent } from '@regtrail/core/emit';
import { createJetStreamSink } from '../src/index.js';
import { freePort, haveNatsServer, startNatsCluster, startNatsServer, stopAll, type NatsServer } from './nats-server.js';
import { readStream } from './stream-read.js';

/** Realistic events (the simulator's mix), in memory. */
async function events(count: number, seed = 'nats'): Promise<ActivityEvent[]> {
  const sink = memorySink();
  await simulate({ count, seed, start: new Date('2025-05-01T00:00:00Z'), rate: 50, region: 'us-south', sink });
  return [...sink.events];
}

describe.skipIf(!haveNatsServer)('createJetStreamSink against a real nats-server -js', () => {
  let server: NatsServer;
  beforeAll(async () => void (server = await startNatsServer()));
  afterAll(() => stopAll([server]));

  it('creates the stream, publishes each event to regtrail.events.<location>, and resolves write on the acknowledgement', async () => {
    const evs = await events(600);
    const sink = createJetStreamSink({ servers: server.url, stream: 'ONE', log: false });
    await sink.ready;
    expect(sink.duplicateWindowMs).toBe(120_000);
    for (const e of evs.slice(0, 10)) {
      await sink.write(e);
      expect(sink.stats().pending).toBe(0);
    }
    await Promise.all(evs.slice(10).map((e) => sink.write(e)));
    expect(sink.stats()).toMatchObject({ sent: 600, duplicates: 0, pending: 0, failed: 0 });
    await sink.close();
    const stored = await readStream(server.url, 'ONE');
    expect(stored.messages).toBe(600);
    expect(stored.ids).toEqual(evs.map((e) => e.id));
    const locate = createEventLocator();
    expect(stored.subjects).toEqual(evs.map((e) => `regtrail.events.${locate(e)}`));
    expect(new Set(stored.subjects).size).toBeGreaterThan(1);
  });

  it('exactly once into the stream: the same events again (a restarted producer) are acknowledged as duplicates, not stored', async () => {
    const evs = await events(300, 'dupes');
    const first = createJetStreamSink({ servers: server.url, stream: 'DUP', subjectPrefix: 'audit.cr', log: false });
    await Promise.all(evs.slice(0, 200).map((e) => first.write(e)));
    await first.close();
    const second = createJetStreamSink({ servers: server.url, stream: 'DUP', subjectPrefix: 'audit.cr', log: false });
    await Promise.all(evs.map((e) => second.write(e)));
    expect(second.stats()).toMatchObject({ sent: 300, duplicates: 200 });
    await second.close();
    const stored = await readStream(server.url, 'DUP');
    expect(stored.messages).toBe(300);
    expect(new Set(stored.ids).size).toBe(300);
    expect(stored.subjects.every((s) => s.startsWith('audit.cr.'))).toBe(true);
  });

  it('bounds what waits for acknowledgement: with maxPending 8, at most 8 events are pending at any time', async () => {
    const evs = await events(200, 'bounded');
    const sink = createJetStreamSink({ servers: server.url, stream: 'BOUND', subjectPrefix: 'bound.events', maxPending: 8, log: false });
    await sink.ready;
    let most = 0;
    const writes = evs.map((e) => sink.write(e));
    const timer = setInterval(() => (most = Math.max(most, sink.stats().pending)), 0);
    await Promise.all(writes);
    clearInterval(timer);
    await sink.close();
    expect((await readStream(server.url, 'BOUND')).messages).toBe(200);
    expect(most).toBe(8);
  });

  it('refuses a stream that exists and does not take the subjects, in one line', async () => {
    const a = createJetStreamSink({ servers: server.url, stream: 'TAKEN', subjectPrefix: 'other.things', log: false });
    await a.ready;
    await a.close();
    const b = createJetStreamSink({ servers: server.url, stream: 'TAKEN', log: false });
    await expect(b.ready).rejects.toThrow(/^stream TAKEN takes \["other\.things\.>"\], not regtrail\.events\.>; choose another stream name or subject prefix$/);
    await b.close();
  });

  it('rejects what cannot be published at all (no location) without stopping the others', async () => {
    const [good] = await events(1, 'unroutable');
    const sink = createJetStreamSink({ servers: server.url, stream: 'BAD', subjectPrefix: 'bad.events', log: false });
    await expect(sink.write({ ...good!, logSourceCRN: 'crn:v1:bluemix:public:container-registry:mars-1:a/x::' })).rejects.toMatchObject({ code: 'BAD_EVENT' });
    await sink.write(good!);
    expect(sink.stats()).toMatchObject({ sent: 1, failed: 1 });
    await sink.close();
    await expect(sink.write(good!)).rejects.toMatchObject({ code: 'SINK_CLOSED' });
    expect((await readStream(server.url, 'BAD')).messages).toBe(1);
  });
});

describe.skipIf(!haveNatsServer)('nats-server unreachable at start', () => {
  it('fails with one line naming the address (no stack), after one round by default', async () => {
    const port = await freePort();
    const sink = createJetStreamSink({ servers: `nats://127.0.0.1:${port}`, log: false });
    const err = await sink.ready.then(() => undefined, (e: unknown) => e as Error & { code?: string });
    expect(err?.code).toBe('NATS_UNREACHABLE');
    expect(err?.message).toMatch(new RegExp(`^cannot reach NATS at nats://127\\.0\\.0\\.1:${port}: connection refused`));
    expect(err?.message).not.toContain('\n');
    await sink.close();
  });

  it('with waitForServerMs, counts its attempts and connects once the server is up', async () => {
    const port = await freePort();
    const attempts: number[] = [];
    const sink = createJetStreamSink({ servers: `nats://127.0.0.1:${port}`, waitForServerMs: 20_000, onConnectAttempt: (n) => attempts.push(n), log: false });
    await new Promise((r) => setTimeout(r, 2500));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    const { NatsServer } = await import('./nats-server.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-nats-late-'));
    const late = await new NatsServer(port, dir, `listen: 127.0.0.1:${port}\njetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))} }\n`).start();
    try {
      await sink.ready;
      const [e] = await events(1, 'late');
      await sink.write(e!);
      await sink.close();
      expect((await readStream(late.url)).messages).toBe(1);
    } finally {
      await stopAll([late]);
    }
  });
});

describe.skipIf(!haveNatsServer)('a three-node cluster on loopback, stream replicas 3', () => {
  let nodes: NatsServer[] = [];
  beforeAll(async () => void (nodes = await startNatsCluster()));
  afterAll(() => stopAll(nodes));

  it('one node killed (SIGKILL) during a run: every write resolves and the stream holds every event once', async () => {
    const evs = await events(4000, 'cluster');
    const sink = createJetStreamSink({ servers: nodes.map((n) => n.url), replicas: 3, publishTimeoutMs: 2000, log: false });
    // Waits for the cluster to elect its meta leader and create the replicated stream.
    await sink.ready;
    let killed = false;
    let done = 0;
    await Promise.all(
      evs.map((e) =>
        sink.write(e).then(() => {
          done++;
          if (done === 1000 && !killed) {
            killed = true;
            void nodes[0]!.stop('SIGKILL');
          }
        }),
      ),
    );
    expect(killed).toBe(true);
    expect(sink.stats()).toMatchObject({ sent: 4000, pending: 0 });
    await sink.close();
    const stored = await readStream([nodes[1]!.url, nodes[2]!.url]);
    expect(stored.messages).toBe(4000);
    expect(new Set(stored.ids)).toEqual(new Set(evs.map((e) => e.id)));
  }, 240_000);
});
