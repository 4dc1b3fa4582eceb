import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSink, readDeadLetters, RegtrailError, type HttpSink, type HttpSinkOptions } from '../../index.js';
import { testEvent } from '../../../test/events.js';
import { Receiver } from '../../../test/receiver.js';
import { mountSmallDisk } from '../../../test/small-disk.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-http-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  cleanup.push(() => r.stop());
  return r;
}

/** A sink with fast retries that logs into `logs`. */
function sink(r: Receiver, options: Partial<HttpSinkOptions> = {}, logs: string[] = []): HttpSink {
  const s = createHttpSink({
    url: r.url(),
    spoolDir: tempDir(),
    batch: { maxEvents: 50, maxAgeMs: 20 },
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...options,
  });
  cleanup.push(() => s.close({ timeoutMs: 2000 }).catch(() => undefined));
  return s;
}

async function writeAll(s: HttpSink, n: number, make = (i: number) => testEvent({ id: `ev-${i}` })): Promise<string[]> {
  const events = Array.from({ length: n }, (_, i) => make(i));
  await Promise.all(events.map((e) => s.write(e)));
  return events.map((e) => e.id!);
}

const segments = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('seg-'));

describe('HTTP sink: routing and batching', () => {
  it('posts JSON arrays to the URL of each event location and deletes delivered segments', async () => {
    const r = await receiver();
    const spoolDir = tempDir();
    const s = sink(r, { spoolDir, batch: { maxEvents: 10, maxAgeMs: 20 } });
    const cases: [string, string, string][] = [
      // CRN location, eventTime, expected event location
      ['jp-tok', '2019-06-21T08:00:00.000Z', 'ap-south'], // the seed page's rule
      ['us-east', '2020-01-30T00:00:00+00:00', 'us-south'], // the global registry under logdna
      ['us-east', '2025-06-01T00:00:00Z', 'us-east'], // and today
      ['au-syd', '2023-01-01T00:00:00Z', 'jp-tok'],
      ['eu-de', '2025-06-01T00:00:00Z', 'eu-de'],
    ];
    let i = 0;
    for (const [location, time] of cases) {
      await Promise.all(Array.from({ length: 25 }, () => s.write(testEvent({ id: `e${i++}`, location, time }))));
    }
    await s.flush();
    expect(r.uniqueIds).toBe(125);
    // Every event went to its location's URL.
    const where = new Map(r.requests.flatMap((q) => q.ids.map((id) => [id, q.path] as const)));
    cases.forEach(([, , expected], c) => {
      for (let k = c * 25; k < (c + 1) * 25; k++) expect(where.get(`e${k}`)).toBe(`/${expected}/v1/events`);
    });
    expect(Math.max(...r.requests.map((q) => q.ids.length))).toBeLessThanOrEqual(10);
    expect(s.stats()).toMatchObject({ sent: 125, spooled: 125, pending: 0, deadLettered: 0, retried: 0 });
    await s.close();
    expect(segments(spoolDir)).toEqual([]);
    expect(fs.existsSync(path.join(spoolDir, 'lock'))).toBe(false);
  });

  it('takes a map of location → URL, and dead-letters events it cannot route, without throwing', async () => {
    const r = await receiver();
    const s = sink(r, { url: { 'us-south': r.url('/south') } });
    await s.write(testEvent({ id: 'ok', location: 'us-south' }));
    await s.write(testEvent({ id: 'no-url', location: 'eu-de' }));
    await s.write(testEvent({ id: 'bad-crn', logSourceCRN: 'not a crn' }));
    await s.write(testEvent({ id: 'bad-time', eventTime: 'yesterday' }));
    await s.write(testEvent({ id: 'too-early', time: '2018-01-01T00:00:00Z' }));
    await s.flush();
    expect([...r.accepted.keys()]).toEqual(['ok']);
    expect(r.requests[0]!.path).toBe('/south');
    const dead = await readDeadLetters(s.deadLetterFile);
    expect(dead.map((d) => (d.event as { id: string }).id).sort()).toEqual(['bad-crn', 'bad-time', 'no-url', 'too-early']);
    for (const d of dead) {
      expect(d.status).toBeNull();
      expect(d.reason).toMatch(/^cannot route: .+/);
    }
    expect(dead.find((d) => (d.event as { id: string }).id === 'no-url')!.reason).toMatch(/no ingestion URL for location eu-de/);
    expect(s.stats()).toMatchObject({ sent: 1, deadLettered: 4, spooled: 1 });
  });

  it('dead-letters an oversize event with the reason, and still delivers the rest', async () => {
    const r = await receiver();
    const s = sink(r, { maxEventBytes: 4096 });
    await s.write(testEvent({ id: 'big', message: 'x'.repeat(5000) }));
    await s.write(testEvent({ id: 'small' }));
    await s.flush();
    expect([...r.accepted.keys()]).toEqual(['small']);
    const [dead] = await readDeadLetters(s.deadLetterFile);
    expect(dead).toMatchObject({ status: null, attempts: 0, event: { id: 'big' } });
    expect(dead!.reason).toMatch(/event is \d+ bytes; the limit \(maxEventBytes\) is 4096/);
  });

  it('gives events without an id one before spooling, and rejects what is not an event', async () => {
    const r = await receiver();
    const s = sink(r);
    const e = testEvent();
    delete e.id;
    await s.write(e);
    await s.flush();
    expect(e.id).toBeUndefined(); // the caller's object is not changed
    expect([...r.accepted.keys()][0]).toMatch(/^[0-9a-f-]{36}$/);
    await expect(s.write(null as never)).rejects.toThrow(RegtrailError);
    const circular = testEvent() as unknown as Record<string, unknown>;
    circular.self = circular;
    await expect(s.write(circular as never)).rejects.toThrow(/cannot be serialized as JSON/);
  });

  it('rejects bad options with a RegtrailError', () => {
    expect(() => createHttpSink({ url: 'http://x.test', spoolDir: '' })).toThrow(/spoolDir is required/);
    expect(() => createHttpSink({ url: 'http://x.test', spoolDir: '/tmp/x', concurrency: 0 })).toThrow(RegtrailError);
    expect(() => createHttpSink({ url: 'http://x.test', spoolDir: '/tmp/x', batch: { maxBytes: 100 }, maxEventBytes: 200 })).toThrow(/maxEventBytes/);
    expect(() => createHttpSink({ url: 'http://x.test', spoolDir: '/tmp/x', tokenEnv: 'REGTRAIL_NOT_SET', env: {} })).toThrow(
      /environment variable REGTRAIL_NOT_SET is not set/,
    );
    // Signals are the program's business: the option that made the sink exit the process is gone.
    expect(() => createHttpSink({ url: 'http://x.test', spoolDir: '/tmp/x', handleSignals: true } as never)).toThrow(/handleSignals is gone/);
  });
});

describe('HTTP sink: failures', { timeout: 30_000 }, () => {
  it('a flaky endpoint (half the requests fail: 500 or connection reset) still gets every event', async () => {
    const r = await receiver();
    r.behave = () => (Math.random() < 0.5 ? (Math.random() < 0.5 ? { status: 500, body: 'oops' } : 'reset') : 'accept');
    const s = sink(r, { batch: { maxEvents: 20, maxAgeMs: 10 } });
    const ids = await writeAll(s, 1000);
    await s.flush({ timeoutMs: 20_000 });
    expect(ids.every((id) => r.accepted.has(id))).toBe(true);
    expect(r.uniqueIds).toBe(1000);
    const stats = s.stats();
    expect(stats.retried).toBeGreaterThan(0);
    expect(stats.failedRequests).toBeGreaterThan(0);
    expect(stats).toMatchObject({ sent: 1000, deadLettered: 0, pending: 0 });
    // A reset after the server read a batch it did not accept is retried, never duplicated here.
    expect(r.duplicates).toBeLessThanOrEqual(stats.retried);
  });

  it('an endpoint that is down for a while (closed, then listening again on the same port) gets everything', async () => {
    const r = await receiver();
    const s = sink(r, { batch: { maxEvents: 25, maxAgeMs: 10 } });
    const first = await writeAll(s, 200, (i) => testEvent({ id: `a-${i}` }));
    await r.stop();
    const second = await writeAll(s, 300, (i) => testEvent({ id: `b-${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(s.stats().pending).toBeGreaterThan(0);
    expect(s.stats().failedRequests).toBeGreaterThan(0);
    await r.restart();
    await s.flush({ timeoutMs: 10_000 });
    for (const id of [...first, ...second]) expect(r.accepted.has(id)).toBe(true);
    expect(r.duplicates).toBeLessThanOrEqual(s.stats().retried);
    expect(s.stats()).toMatchObject({ sent: 500, pending: 0, deadLettered: 0 });
  });

  it('429 with Retry-After: 1 delays the next attempt by at least a second', async () => {
    const r = await receiver();
    r.behave = ({ index }) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : 'accept');
    const s = sink(r, { batch: { maxEvents: 5, maxAgeMs: 10 } });
    const ids = await writeAll(s, 5);
    await s.flush();
    const [refused, ...later] = r.requests;
    const retry = later.find((q) => q.ids.includes(refused!.ids[0]!));
    expect(retry!.ids).toEqual(refused!.ids);
    expect(retry!.at - refused!.at).toBeGreaterThanOrEqual(1000);
    expect(ids.every((id) => r.accepted.has(id))).toBe(true);
    expect(s.stats()).toMatchObject({ sent: 5, retried: refused!.ids.length, failedRequests: 1 });
  });

  it('413 for batches of more than K events: batches are split until they fit, and all arrive', async () => {
    const K = 7;
    const r = await receiver();
    r.behave = ({ ids }) => (ids.length > K ? { status: 413, body: 'too large' } : 'accept');
    const s = sink(r, { batch: { maxEvents: 100, maxAgeMs: 10 } });
    const ids = await writeAll(s, 300);
    await s.flush();
    expect(ids.every((id) => r.accepted.has(id))).toBe(true);
    expect(r.duplicates).toBe(0);
    const acceptedSizes = r.requests.filter((q) => q.reply === 'accept').map((q) => q.ids.length);
    expect(Math.max(...acceptedSizes)).toBeLessThanOrEqual(K);
    expect(r.requests.some((q) => q.ids.length > K)).toBe(true);
    expect(s.stats()).toMatchObject({ sent: 300, deadLettered: 0 });
  });

  it('413 for a single event sends it to the dead letter', async () => {
    const r = await receiver();
    r.behave = ({ ids }) => (ids.includes('huge') ? { status: 413 } : 'accept');
    const s = sink(r, { batch: { maxEvents: 4, maxAgeMs: 10 } });
    await writeAll(s, 4, (i) => testEvent({ id: i === 2 ? 'huge' : `e${i}` }));
    await s.flush();
    expect(r.uniqueIds).toBe(3);
    const dead = await readDeadLetters(s.deadLetterFile);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ status: 413, event: { id: 'huge' } });
    expect(dead[0]!.reason).toMatch(/too large/);
  });

  it('a batch refused with 400 goes to the dead-letter file with its events, status and reason, and is counted', async () => {
    const r = await receiver();
    r.behave = ({ ids }) => (ids.includes('poison') ? { status: 400, body: '{"error":"field initiator.id is invalid"}' } : 'accept');
    const logs: string[] = [];
    const s = sink(r, { batch: { maxEvents: 10, maxAgeMs: 10 } }, logs);
    const ids = await writeAll(s, 30, (i) => testEvent({ id: i === 13 ? 'poison' : `e${i}` }));
    await s.flush();
    const dead = await readDeadLetters(s.deadLetterFile);
    const deadIds = dead.map((d) => (d.event as { id: string }).id);
    expect(deadIds).toContain('poison');
    const refused = r.requests.find((q) => q.ids.includes('poison'))!;
    expect(deadIds.sort()).toEqual([...refused.ids].sort()); // the whole batch, nothing else
    for (const d of dead) {
      expect(d.status).toBe(400);
      expect(d.reason).toMatch(/HTTP 400.*initiator\.id is invalid/);
      expect(d.attempts).toBe(1);
      expect(d.url).toBe(r.url().replace('{location}', 'us-south'));
    }
    expect(ids.filter((id) => !deadIds.includes(id)).every((id) => r.accepted.has(id))).toBe(true);
    const n = refused.ids.length;
    expect(s.stats()).toMatchObject({ sent: 30 - n, deadLettered: n, pending: 0 });
    expect(logs.some((l) => new RegExp(`^warn: ${n} event\\(s\\) written to the dead-letter file .*HTTP 400`).test(l))).toBe(true);
  });

  it('retry.maxAttempts gives up after that many attempts, to the dead letter', async () => {
    const r = await receiver();
    r.behave = () => ({ status: 503 });
    const s = sink(r, { retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 } });
    await writeAll(s, 3);
    await s.flush();
    const dead = await readDeadLetters(s.deadLetterFile);
    expect(dead).toHaveLength(3);
    expect(dead[0]!.reason).toMatch(/gave up after 3 attempts; last: HTTP 503/);
    for (const e of dead) expect(r.requests.filter((q) => q.ids.includes((e.event as { id: string }).id))).toHaveLength(3);
  });
});

describe('HTTP sink: redirects', { timeout: 30_000 }, () => {
  // An ingestion endpoint that redirects: fetch would follow with a body-less GET, and the final
  // 200 would count as delivery. A redirect is a failure that names where it points, and the
  // events stay in the spool.
  it.each([301, 302, 303, 307, 308])('%i: nothing counts as sent, the events stay in the spool, the log names the Location', async (status) => {
    const got: string[] = [];
    const server = http.createServer((req, res) => {
      got.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        if (req.url === '/v1/events') res.writeHead(status, { location: '/moved/v1/events' }).end();
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const logs: string[] = [];
    const spoolDir = tempDir();
    const s = createHttpSink({
      url: `http://127.0.0.1:${port}/v1/events`,
      spoolDir,
      batch: { maxEvents: 10, maxAgeMs: 10 },
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.write(testEvent({ id: `r-${i}` }))));
    await expect(s.flush({ timeoutMs: 300 })).rejects.toThrow();
    await s.close({ timeoutMs: 100 }).catch(() => undefined);
    expect(s.stats()).toMatchObject({ sent: 0, deadLettered: 0, pending: 20 });
    expect(got.every((g) => g === 'POST /v1/events'), got.join(', ')).toBe(true);
    expect(logs.join('\n')).toContain(`HTTP ${status}`);
    expect(logs.join('\n')).toContain('/moved/v1/events');
    expect(segments(spoolDir).length).toBeGreaterThan(0);
  });
});

describe('HTTP sink: spool, flush and backpressure', { timeout: 30_000 }, () => {
  it('flush times out while the endpoint is down; a new sink on the same spool delivers what was left', async () => {
    const r = await receiver();
    await r.stop();
    const spoolDir = tempDir();
    const s1 = sink(r, { spoolDir });
    const ids = await writeAll(s1, 120);
    await expect(s1.flush({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'FLUSH_TIMEOUT' });
    await expect(s1.close({ timeoutMs: 100 })).rejects.toThrow(/120 event\(s\) not delivered after 100 ms; they stay in the spool/);
    await expect(s1.write(testEvent())).rejects.toMatchObject({ code: 'SINK_CLOSED' });
    expect(segments(spoolDir).length).toBeGreaterThan(0);

    await r.restart();
    const s2 = sink(r, { spoolDir });
    await s2.ready;
    expect(s2.stats()).toMatchObject({ recovered: 120, pending: 120 });
    await s2.flush();
    expect(ids.every((id) => r.accepted.has(id))).toBe(true);
    await s2.close();
    expect(segments(spoolDir)).toEqual([]);
  });

  it('a spool is used by one sink at a time', async () => {
    const r = await receiver();
    const spoolDir = tempDir();
    const s1 = sink(r, { spoolDir });
    await s1.ready;
    const s2 = sink(r, { spoolDir });
    await expect(s2.ready).rejects.toMatchObject({ code: 'SPOOL_LOCKED' });
    await expect(s2.write(testEvent())).rejects.toMatchObject({ code: 'SPOOL_LOCKED' });
  });

  it('skips a torn last line left by a crash, and rolls segments by size', async () => {
    const r = await receiver();
    const spoolDir = tempDir();
    r.behave = () => ({ status: 503 });
    const s1 = sink(r, { spoolDir, segmentBytes: 4096 });
    const ids = await writeAll(s1, 40);
    await s1.close({ timeoutMs: 50 }).catch(() => undefined);
    const segs = segments(spoolDir).sort();
    expect(segs.length).toBeGreaterThan(1);
    fs.appendFileSync(path.join(spoolDir, segs.at(-1)!), '999 {"id":"torn","action":"contai');
    r.behave = () => 'accept';
    const logs: string[] = [];
    const s2 = sink(r, { spoolDir }, logs);
    await s2.flush();
    expect(ids.every((id) => r.accepted.has(id))).toBe(true);
    expect(r.accepted.has('torn')).toBe(false);
    expect(logs.some((l) => /skipped an incomplete line at the end of seg-\d+\.ndjson \(a write cut short by a crash; never acknowledged\)/.test(l))).toBe(true);
    expect(s2.stats().lost).toBe(0);
  });

  it('write waits while the in-memory queue is full', async () => {
    const r = await receiver();
    let open = false;
    r.behave = () => (open ? 'accept' : { status: 503 });
    const s = sink(r, { maxQueueEvents: 5, batch: { maxEvents: 5, maxAgeMs: 5 } });
    await writeAll(s, 5);
    let sixth = false;
    const p = s.write(testEvent({ id: 'sixth' })).then(() => (sixth = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sixth).toBe(false);
    expect(s.stats()).toMatchObject({ spooled: 5, pending: 5 });
    open = true;
    await p;
    await s.flush();
    expect(r.uniqueIds).toBe(6);
  });

  it('reports progress through onProgress', async () => {
    const r = await receiver();
    const seen: number[] = [];
    const s = sink(r, { onProgress: (stats) => seen.push(stats.sent), progressIntervalMs: 5 });
    await writeAll(s, 100);
    await s.flush();
    expect(seen.at(-1)).toBe(100);
  });
});

describe('HTTP sink: credentials', () => {
  it('redacts a token echoed back URL-encoded, in base64 or JSON-escaped, in the log and the dead letters', async () => {
    const token = 'tok/SECRET+4f9a=1c0b7e2d';
    const r = await receiver();
    r.behave = ({ index }) => ({
      status: 400,
      body: index % 2 === 0 ? `auth=${encodeURIComponent(`Bearer ${token}`)}` : `{"seen":${JSON.stringify(Buffer.from(token).toString('base64'))},"raw":${JSON.stringify(`Bearer ${token}`)}}`,
    });
    const logs: string[] = [];
    const s = sink(r, { tokenEnv: 'REGTRAIL_INGEST_TOKEN', env: { REGTRAIL_INGEST_TOKEN: token }, batch: { maxEvents: 2, maxAgeMs: 5 } }, logs);
    await writeAll(s, 6);
    await s.flush();
    const dead = fs.readFileSync(s.deadLetterFile, 'utf8');
    expect(s.stats()).toMatchObject({ deadLettered: 6 });
    const forms = [token, encodeURIComponent(token), Buffer.from(token).toString('base64'), JSON.stringify(token).slice(1, -1)];
    for (const text of [dead, ...logs]) for (const form of forms) expect(text).not.toContain(form);
    expect(dead).toContain('[REDACTED]');
  });

  it('sends the token as a bearer token and never writes it to logs, errors or dead letters', async () => {
    const token = 'tok-SECRET-4f9a1c0b7e2d';
    const r = await receiver();
    // A hostile or buggy endpoint that echoes the credentials back.
    r.behave = ({ ids, index }) =>
      ids.includes('refused')
        ? { status: 401, body: `bad token ${token}` }
        : index % 3 === 0
          ? { status: 500, body: `upstream said Authorization: Bearer ${token}` }
          : 'accept';
    const logs: string[] = [];
    const s = sink(r, { tokenEnv: 'REGTRAIL_INGEST_TOKEN', env: { REGTRAIL_INGEST_TOKEN: token }, batch: { maxEvents: 5, maxAgeMs: 5 } }, logs);
    await writeAll(s, 20, (i) => testEvent({ id: i === 7 ? 'refused' : `e${i}` }));
    await s.flush();
    expect(r.requests.every((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    await r.stop();
    await s.write(testEvent({ id: 'late' }));
    let error: unknown;
    await s.close({ timeoutMs: 100 }).catch((err: unknown) => (error = err));
    expect(error).toBeInstanceOf(RegtrailError);

    const dead = fs.readFileSync(s.deadLetterFile, 'utf8');
    expect(dead).toContain('"status":401');
    expect(dead).toContain('[REDACTED]');
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [dead, ...logs, String(error), (error as Error).stack ?? '']) expect(text).not.toContain(token);
    for (const file of fs.readdirSync(path.dirname(s.deadLetterFile))) {
      if (file.startsWith('seg-') || file === 'ack.json') expect(fs.readFileSync(path.join(path.dirname(s.deadLetterFile), file), 'utf8')).not.toContain(token);
    }
  });
});

describe('HTTP sink: the spool on a full disk', { timeout: 60_000 }, () => {
  const disk = mountSmallDisk(512 * 1024);
  if (!disk) console.warn('spool disk-full test skipped: cannot mount a tmpfs here (needs root)');
  afterEach(() => disk?.free());

  it.runIf(disk !== undefined)('a failed append is cut back to whole lines: the first event accepted after space returns is not lost', async () => {
    const r = await receiver();
    r.behave = () => ({ status: 503 }); // nothing is delivered: everything stays in the spool
    const spoolDir = path.join(disk!.dir, 'spool');
    const s1 = sink(r, { spoolDir, deadLetterFile: path.join(tempDir(), 'dead.ndjson') });
    const accepted: string[] = [];
    const write = (id: string) => s1.write(testEvent({ id })).then(() => void accepted.push(id));
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(`before-${i}`)));
    disk!.fill();
    // Group commits of many events: a block that fits only in part is written in part.
    const failures: unknown[] = [];
    for (let round = 0; round < 20 && failures.length === 0; round++) {
      const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => write(`full-${round}-${i}`)));
      for (const res of results) if (res.status === 'rejected') failures.push(res.reason);
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatchObject({ code: 'SPOOL_FAILED' });
    expect(String((failures[0] as Error).message)).toMatch(/ENOSPC/);
    disk!.free();
    await write('after-space-returns');
    await s1.close({ timeoutMs: 50 }).catch(() => undefined);

    r.behave = () => 'accept';
    const logs: string[] = [];
    const s2 = sink(r, { spoolDir, deadLetterFile: path.join(tempDir(), 'dead.ndjson') }, logs);
    await s2.flush();
    expect(accepted).toContain('after-space-returns');
    expect(accepted.filter((id) => !r.accepted.has(id))).toEqual([]);
    // Nothing was torn: every line in the spool was whole.
    expect(logs.filter((l) => /incomplete|damaged|lost/.test(l))).toEqual([]);
    await s2.close();
  });

  it.runIf(disk !== undefined)('unmounts', () => {
    disk!.unmount();
  });
});

describe('HTTP sink: a damaged spool', { timeout: 30_000 }, () => {
  /** 60 events left in one segment by a sink whose endpoint refused everything; the spool and the segment file. */
  async function leftBehind(r: Receiver): Promise<{ spoolDir: string; segment: string; ids: string[] }> {
    const spoolDir = tempDir();
    r.behave = () => ({ status: 503 });
    const s1 = sink(r, { spoolDir });
    const ids = await writeAll(s1, 60);
    await s1.close({ timeoutMs: 50 }).catch(() => undefined);
    const [name] = segments(spoolDir);
    r.behave = () => 'accept';
    return { spoolDir, segment: path.join(spoolDir, name!), ids };
  }

  /** The ids of the whole lines of a segment file that start before and after a byte range. */
  function idsAround(file: string, from: number, to: number): { before: string[]; inside: string[]; after: string[] } {
    const buf = fs.readFileSync(file);
    const out = { before: [] as string[], inside: [] as string[], after: [] as string[] };
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(0x0a, pos);
      const end = nl < 0 ? buf.length : nl + 1;
      const id = (JSON.parse(buf.toString('utf8', buf.indexOf(0x20, pos) + 1, end - 1)) as { id: string }).id;
      (end <= from ? out.before : pos >= to ? out.after : out.inside).push(id);
      pos = end;
    }
    return out;
  }

  it('bytes overwritten in the middle: the lost events are counted, named by segment and offset, kept in quarantine; the rest arrive', async () => {
    const r = await receiver();
    const { spoolDir, segment, ids } = await leftBehind(r);
    const size = fs.statSync(segment).size;
    const offset = Math.floor(size / 3);
    const garbage = Buffer.alloc(2500, 0x58); // "XXX…": over two or three lines and their newlines
    const around = idsAround(segment, offset, offset + garbage.length);
    const fd = fs.openSync(segment, 'r+');
    fs.writeSync(fd, garbage, 0, garbage.length, offset);
    fs.closeSync(fd);
    const damaged = fs.readFileSync(segment);

    const logs: string[] = [];
    const s2 = sink(r, { spoolDir }, logs);
    await s2.flush();
    expect(around.inside.length).toBeGreaterThan(1);
    expect(s2.stats()).toMatchObject({ lost: around.inside.length, recovered: 60 - around.inside.length, sent: 60 - around.inside.length });
    expect(ids.filter((id) => !r.accepted.has(id))).toEqual(around.inside);
    const errors = logs.filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    const name = path.basename(segment);
    expect(errors[0]).toMatch(new RegExp(`segment ${name} is damaged \\(\\d+ damaged byte\\(s\\) at byte offset \\d+\\): ${around.inside.length} event\\(s\\) lost; the damaged bytes are kept in .*quarantine`));
    // The quarantine file holds exactly the bytes between the whole lines around the damage.
    const [, at] = /at byte offset (\d+)/.exec(errors[0]!)!;
    const qfile = path.join(spoolDir, 'quarantine', `${name}.at-${at}`);
    const kept = fs.readFileSync(qfile);
    expect(kept.includes(garbage)).toBe(true);
    expect(kept.equals(damaged.subarray(Number(at), Number(at) + kept.length))).toBe(true);
    await s2.close();

    // Reported once: the segment no longer holds the damage.
    const logs3: string[] = [];
    const s3 = sink(r, { spoolDir }, logs3);
    await s3.ready;
    expect(s3.stats().lost).toBe(0);
    expect(logs3.filter((l) => l.startsWith('error: '))).toEqual([]);
  });

  it('a segment cut short in the middle: every event after the cut is counted lost, with the offset', async () => {
    const r = await receiver();
    const { spoolDir, segment, ids } = await leftBehind(r);
    const size = fs.statSync(segment).size;
    const cut = Math.floor(size / 2);
    const around = idsAround(segment, cut, size);
    fs.truncateSync(segment, cut);
    const logs: string[] = [];
    const s2 = sink(r, { spoolDir }, logs);
    await s2.flush();
    expect(s2.stats()).toMatchObject({ lost: around.inside.length + around.after.length, sent: around.before.length });
    expect(ids.filter((id) => !r.accepted.has(id))).toEqual([...around.inside, ...around.after]);
    expect(logs.filter((l) => l.startsWith('error: '))).toEqual([expect.stringMatching(new RegExp(`segment ${path.basename(segment)} is damaged .*at byte offset \\d+\\): ${60 - around.before.length} event\\(s\\) lost`))]);
  });
});

describe('send, sendText and writeAhead: false (for a caller whose events are durable elsewhere, such as the JetStream relay)', () => {
  it('send resolves only once the endpoint answered 2xx, not when the event is queued', async () => {
    const r = await receiver();
    let failing = true;
    r.behave = () => (failing ? { status: 503, body: 'later' } : 'accept');
    const dir = tempDir();
    const s = sink(r, { spoolDir: undefined, writeAhead: false, deadLetterFile: path.join(dir, 'dead.ndjson') });
    await s.ready;
    let settled = false;
    const sent = s.send(testEvent({ id: 'send-1' })).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests.length).toBeGreaterThan(1);
    expect(settled).toBe(false);
    failing = false;
    await sent;
    expect(r.accepted.get('send-1')).toBe(1);
    // No spool: nothing but the (empty) dead-letter place in the directory.
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('send resolves once a refused event is in the dead-letter file; close rejects the sends not yet delivered', async () => {
    const r = await receiver();
    r.behave = ({ ids }) => (ids.includes('refused') ? { status: 400, body: 'no' } : { status: 503, body: 'later' });
    const dir = tempDir();
    const deadLetterFile = path.join(dir, 'dead.ndjson');
    const s = sink(r, { spoolDir: undefined, writeAhead: false, deadLetterFile });
    await s.send(testEvent({ id: 'refused' }));
    expect((await readDeadLetters(deadLetterFile)).map((d) => (d.event as { id: string }).id)).toEqual(['refused']);
    const pending = s.send(testEvent({ id: 'never' }));
    await expect(s.close({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'FLUSH_TIMEOUT', message: expect.stringContaining('held in memory only') });
    await expect(pending).rejects.toMatchObject({ code: 'SINK_CLOSED' });
  });

  it('sendText sends the JSON text as it is (not serialized again), and refuses what is not one JSON object', async () => {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (bodies.push(body), res.writeHead(202).end()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const dir = tempDir();
    const s = createHttpSink({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/{location}`, writeAhead: false, deadLetterFile: path.join(dir, 'dead.ndjson'), batch: { maxAgeMs: 10 }, log: false });
    cleanup.push(() => s.close({ timeoutMs: 2000 }).catch(() => undefined));
    const event = testEvent({ id: 'text-1' });
    // Spaces and key order that JSON.stringify would not give.
    const text = `{ "id": "text-1",  ${JSON.stringify(event).slice(1).replace(/"id":"text-1",?/, '')}`;
    expect(JSON.parse(text)).toEqual(event);
    expect(text).not.toBe(JSON.stringify(JSON.parse(text)));
    await s.sendText(text);
    expect(bodies).toEqual([`[${text}]`]);
    // Text spread over lines is serialized again (a spool holds one event per line).
    await s.sendText(JSON.stringify({ ...event, id: 'text-2' }, null, 2));
    expect(bodies[1]).toBe(`[${JSON.stringify({ ...event, id: 'text-2' })}]`);
    await expect(s.sendText('{"id": "x"')).rejects.toMatchObject({ code: 'BAD_EVENT', message: expect.stringMatching(/^the event is not JSON/) });
    await expect(s.sendText('[1, 2]')).rejects.toMatchObject({ code: 'BAD_EVENT', message: 'an event must be an object, not an array' });
  });

  it.each([
    [{ writeAhead: false }, 'createHttpSink: deadLetterFile is required with writeAhead: false (there is no spool to put it in)'],
    [{ writeAhead: false, deadLetterFile: 'd.ndjson', spoolDir: 'x' }, 'createHttpSink: spoolDir goes with writeAhead: true (the default); without a spool, events wait in memory only'],
    [{ writeAhead: 'no' }, 'createHttpSink: writeAhead must be true or false, not no'],
    [{}, 'createHttpSink: spoolDir is required'],
  ])('refuses %j', (options, message) => {
    expect(() => createHttpSink({ url: 'http://127.0.0.1:1/', ...(options as object) } as HttpSinkOptions)).toThrow(message);
  });
});
