import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink, simulate, Spool, type ActivityEvent } from '@regtrail/core/emit';
import { createJetStreamSink } from '../src/index.js';
import { freePort, haveNatsServer, startNatsServer, stopAll, type NatsServer } from './nats-server.js';
import { readStream } from './stream-read.js';

/** Realistic events (the simulator's mix), in memory. */
async function events(count: number, seed: string): Promise<ActivityEvent[]> {
  const sink = memorySink();
  await simulate({ count, seed, start: new Date('2025-07-01T00:00:00Z'), rate: 50, region: 'eu-de', sink });
  return [...sink.events];
}

/** The event ids in a spool directory's segments (what is on disk, done or not). */
function spooledIds(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .sort()
    .flatMap((n) => fs.readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean))
    .map((line) => (JSON.parse(line.slice(line.indexOf(' ') + 1)) as { id: string }).id);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-overflow-'));
const spoolDir = (name: string) => path.join(tmp, name);
const fast = { publishTimeoutMs: 2000, retry: { baseDelayMs: 50, maxDelayMs: 400 }, log: false } as const;

describe.skipIf(!haveNatsServer)('createJetStreamSink with overflow to a spool, against a real nats-server -js', () => {
  let server: NatsServer;
  beforeAll(async () => void (server = await startNatsServer()));
  afterAll(async () => {
    await stopAll([server]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a stopped server (SIGSTOP): writes beyond maxPending resolve once in the spool; after SIGCONT every event is in the stream exactly once', async () => {
    const evs = await events(400, 'stopped');
    const dir = spoolDir('stopped');
    const sink = createJetStreamSink({ servers: server.url, stream: 'STOP', subjectPrefix: 'stop.events', maxPending: 8, overflow: { spoolDir: dir }, ...fast });
    await sink.ready;
    // 100 writes at once, room for 8 in memory: the others go through the spool, even with the server up.
    await Promise.all(evs.slice(0, 100).map((e) => sink.write(e)));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ sent: 100, spooled: 92, pending: 0 });

    process.kill(server.pid!, 'SIGSTOP');
    try {
      // 300 writes with room for 8 in memory: they all resolve (the 8 once their publish times out).
      await Promise.all(evs.slice(100).map((e) => sink.write(e)));
      expect(sink.stats()).toMatchObject({ sent: 100, spooled: 392, pending: 300, failed: 0 });
      // On disk (the spool may still hold the first 92, done, until it records them).
      expect(spooledIds(dir)).toEqual(expect.arrayContaining(evs.slice(100).map((e) => e.id)));
    } finally {
      process.kill(server.pid!, 'SIGCONT');
    }
    await sink.flush({ timeoutMs: 60_000 });
    await sink.close();
    const s = sink.stats();
    // Each event acknowledged once. Those whose publish timed out (the 8 in memory, and any other on a
    // busy machine) may have reached the server anyway, from its socket buffer: published again from
    // the spool, they were duplicates, not stored twice.
    expect(s).toMatchObject({ sent: 400, pending: 0, failed: 0 });
    expect(s.duplicates).toBeLessThanOrEqual(s.failedRequests);
    expect(s.failedRequests).toBeGreaterThanOrEqual(8);
    const stored = await readStream(server.url, 'STOP');
    expect(stored.messages).toBe(400);
    expect(stored.ids.slice().sort()).toEqual(evs.map((e) => e.id).sort());
    // Everything acknowledged is marked done: the spool keeps no segment.
    expect(spooledIds(dir)).toEqual([]);
  }, 120_000);

  it('an unreachable server at start is an outage, not an error: events wait in the spool, and a later sink with the same spool publishes them once', async () => {
    const evs = await events(500, 'outage');
    const dir = spoolDir('outage');
    const port = await freePort();
    const down = createJetStreamSink({ servers: `nats://127.0.0.1:${port}`, stream: 'OUT', subjectPrefix: 'out.events', overflow: { spoolDir: dir }, ...fast });
    await down.ready;
    await Promise.all(evs.map((e) => down.write(e)));
    expect(down.stats()).toMatchObject({ sent: 0, spooled: 500, pending: 500 });
    await expect(down.close({ timeoutMs: 300 })).rejects.toThrow(`500 event(s) not acknowledged by stream OUT after 300 ms; 500 of them stay in the spool ${dir} and are published when a sink next opens it`);
    expect(spooledIds(dir)).toHaveLength(500);

    // The stream already holds some of them (a producer that published, then crashed before the spool recorded it).
    const early = createJetStreamSink({ servers: server.url, stream: 'OUT', subjectPrefix: 'out.events', log: false });
    await Promise.all(evs.slice(0, 50).map((e) => early.write(e)));
    await early.close();

    const up = createJetStreamSink({ servers: server.url, stream: 'OUT', subjectPrefix: 'out.events', overflow: { spoolDir: dir }, ...fast });
    await up.ready;
    expect(up.stats()).toMatchObject({ recovered: 500 });
    await up.close({ timeoutMs: 60_000 });
    const s = up.stats();
    expect(s).toMatchObject({ sent: 500, pending: 0, spooled: 0 });
    // The 50 already held, and (on a busy machine) any whose acknowledgement timed out and was published again.
    expect(s.duplicates).toBeGreaterThanOrEqual(50);
    expect(s.duplicates).toBeLessThanOrEqual(50 + s.failedRequests);
    const stored = await readStream(server.url, 'OUT');
    expect(stored.messages).toBe(500);
    expect(stored.ids.slice().sort()).toEqual(evs.map((e) => e.id).sort());
    expect(spooledIds(dir)).toEqual([]);
  }, 120_000);

  it('a server that goes away and comes back (killed, started again on its port): events written meanwhile are spooled, then published once', async () => {
    const own = await startNatsServer();
    try {
      const evs = await events(600, 'restart');
      const dir = spoolDir('restart');
      const sink = createJetStreamSink({ servers: own.url, stream: 'BACK', subjectPrefix: 'back.events', maxPending: 16, overflow: { spoolDir: dir, segmentBytes: 64 * 1024 }, ...fast });
      await sink.ready;
      await Promise.all(evs.slice(0, 200).map((e) => sink.write(e)));
      await sink.flush();
      const before = sink.stats();
      expect(before).toMatchObject({ sent: 200, pending: 0 });
      await own.stop('SIGKILL');
      await Promise.all(evs.slice(200).map((e) => sink.write(e)));
      expect(sink.stats()).toMatchObject({ spooled: before.spooled + 400, pending: 400 });
      // Small segments: the spool rolls over several files, read in order.
      expect(fs.readdirSync(dir).filter((n) => n.startsWith('seg-')).length).toBeGreaterThan(2);
      await own.start();
      await sink.close({ timeoutMs: 60_000 });
      expect(sink.stats()).toMatchObject({ pending: 0, failed: 0 });
      const stored = await readStream(own.url, 'BACK');
      expect(stored.messages).toBe(600);
      expect(new Set(stored.ids)).toEqual(new Set(evs.map((e) => e.id)));
    } finally {
      await stopAll([own]);
    }
  }, 120_000);

  it('a spooled record that cannot be published (no id, no location) is named in the log and stays in the spool; the others go, and flush does not wait for it', async () => {
    const [good, other] = await events(2, 'stuck');
    const dir = spoolDir('stuck');
    const { spool } = await Spool.open(dir, { segmentBytes: 1 << 20, ackIntervalMs: 10 });
    await spool.append(JSON.stringify(good));
    await spool.append(JSON.stringify({ ...other, id: undefined }));
    await spool.append(JSON.stringify({ ...other, logSourceCRN: 'crn:v1:bluemix:public:container-registry:mars-1:a/x::' }));
    await spool.close();
    const logged: string[] = [];
    const sink = createJetStreamSink({ servers: server.url, stream: 'STUCK', subjectPrefix: 'stuck.events', overflow: { spoolDir: dir }, ...fast, log: (level, message) => void logged.push(`${level}: ${message}`) });
    await sink.ready;
    await sink.flush({ timeoutMs: 30_000 });
    await sink.close();
    expect(sink.stats()).toMatchObject({ recovered: 3, sent: 1, pending: 2 });
    expect(logged.filter((l) => l.startsWith('error: '))).toEqual([
      `error: spooled event 2 in ${dir} cannot be published (no event id); it stays in the spool`,
      expect.stringMatching(new RegExp(`^error: spooled event 3 in ${dir} cannot be published \\(cannot route it: .*mars-1.*\\); it stays in the spool$`)),
    ]);
    expect((await readStream(server.url, 'STUCK')).ids).toEqual([good!.id]);
    // Still in the spool, for the next sink or a person to look at; the published one is done.
    const again = await Spool.open(dir, { segmentBytes: 1 << 20, ackIntervalMs: 10 });
    expect(again.recovered.map((r) => r.seq)).toEqual([2, 3]);
    await again.spool.close();
  });

  it('a stream that refuses the subjects is still an error at start, with a spool; a spool that cannot be opened too', async () => {
    const a = createJetStreamSink({ servers: server.url, stream: 'OWNED', subjectPrefix: 'owned.things', log: false });
    await a.ready;
    await a.close();
    const b = createJetStreamSink({ servers: server.url, stream: 'OWNED', overflow: { spoolDir: spoolDir('owned') }, log: false });
    await expect(b.ready).rejects.toThrow(/^stream OWNED takes \["owned\.things\.>"\]/);
    await b.close();
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    const c = createJetStreamSink({ servers: server.url, overflow: { spoolDir: file }, log: false });
    await expect(c.ready).rejects.toMatchObject({ code: 'SPOOL_FAILED' });
    await c.close();
  });
});
