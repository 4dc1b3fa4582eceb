import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink, simulate } from '@regtrail/core/emit';
import { createJetStreamSink } from '@regtrail/nats';
import { cliPath } from './paths.js';
import { Receiver } from '../../core/test/receiver.js';
import { DIGEST, MANIFEST, notificationEvent } from '../../core/test/registry-notification.js';
import { freePort, haveNatsServer, NatsServer, startNatsServer, stopAll } from '../../nats/test/nats-server.js';
import { readStream, streamState } from '../../nats/test/stream-read.js';

const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

/** A CLI process that runs until stopped, with its output gathered. */
function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-cli-nats-'));

describe.skipIf(!haveNatsServer)('regtrail with NATS JetStream (built CLI, a real nats-server -js on 127.0.0.1)', () => {
  let server: NatsServer;
  beforeAll(async () => void (server = await startNatsServer()));
  afterAll(async () => {
    await stopAll([server]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('simulate --sink nats://: 20,000 events are in the stream exactly once, though the producer was SIGKILLed and run again with the same seed', async () => {
    const args = ['simulate', '--count', '20000', '--seed', 'killed', '--start', '2025-06-01', '--sink', server.url, '--stream', 'SIM', '--subject-prefix', 'sim.events'];
    const first = start(args);
    await until('the first run to publish 3,000 events', async () => (await streamState(server.url, 'SIM')).messages >= 3000, 60_000);
    first.child.kill('SIGKILL');
    await first.exit;
    const before = (await streamState(server.url, 'SIM')).messages;
    expect(before).toBeGreaterThanOrEqual(3000);
    expect(before).toBeLessThan(20_000);

    const again = await run([...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as Record<string, number | boolean>;
    expect(summary).toMatchObject({ ok: true, sent: 20_000, pending: 0, notAcknowledged: 0 });
    // What the killed run had published came back as duplicates, and was not stored again.
    expect(summary.duplicates).toBeGreaterThanOrEqual(before);

    const expected = path.join(dir, 'expected.ndjson');
    expect((await run([...args.slice(0, 7), '--out', expected])).code).toBe(0);
    const ids = fs.readFileSync(expected, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(ids).size).toBe(20_000);
    const stored = await readStream(server.url, 'SIM');
    expect(stored.messages).toBe(20_000);
    expect(new Set(stored.ids).size).toBe(20_000);
    expect(new Set(stored.ids)).toEqual(new Set(ids));
  }, 240_000);

  it('simulate --sink nats:// --spool: with nats-server down the events wait in the spool (one run ends saying so, one is SIGKILLed); once it is up, a run with that spool publishes every event exactly once', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const spool = path.join(dir, 'outage-spool');
    const common = ['--start', '2025-06-01', '--sink', url, '--stream', 'OUTAGE', '--subject-prefix', 'outage.events', '--spool', spool];
    const spooledLines = () =>
      fs.existsSync(spool) ? fs.readdirSync(spool).filter((n) => n.startsWith('seg-')).reduce((n, f) => n + fs.readFileSync(path.join(spool, f), 'utf8').split('\n').length - 1, 0) : 0;

    // Down all along: the run ends within --timeout, saying where the events are.
    const ended = await run(['simulate', '--count', '300', '--seed', 'outage-a', '--timeout', '1', '--json', ...common]);
    expect(ended.code, ended.stderr).toBe(1);
    expect(JSON.parse(ended.stdout)).toMatchObject({ ok: false, sent: 0, pending: 300, spool });
    expect(ended.stderr).toContain(`cannot reach NATS at ${url}: connection refused (ECONNREFUSED); events go to the spool ${spool} until it is reachable`);
    expect(ended.stderr).toContain(`300 event(s) not delivered stay in the spool ${spool}; run again with --spool ${spool} to send them`);
    expect(ended.stderr).not.toMatch(/\n\s+at /);
    expect(spooledLines()).toBe(300);

    // Down, and the producer is SIGKILLed while it spools.
    const killedArgs = ['simulate', '--count', '6000', '--seed', 'outage-b', ...common];
    const killed = start([...killedArgs, '--rate', '500', '--realtime']);
    await until('the killed run to spool 800 events', () => spooledLines() >= 1100, 60_000);
    killed.child.kill('SIGKILL');
    await killed.exit;
    const spooledBefore = spooledLines() - 300;
    expect(spooledBefore).toBeLessThan(6000);

    // Up (on the same port), and the same run again with the same spool: what it held goes first, then the rest.
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-nats-outage-'));
    const up = await new NatsServer(port, storeDir, `listen: 127.0.0.1:${port}\nserver_name: outage\njetstream { store_dir: ${JSON.stringify(path.join(storeDir, 'js'))} }\n`).start();
    try {
      const again = await run([...killedArgs, '--rate', '500', '--json']);
      expect(again.code, again.stderr).toBe(0);
      const summary = JSON.parse(again.stdout) as Record<string, number | boolean>;
      expect(summary).toMatchObject({ ok: true, pending: 0, notAcknowledged: 0, recovered: 300 + spooledBefore });
      // The events the killed run spooled were published from the spool first; the run's own copies were duplicates.
      expect(summary.sent).toBe(300 + spooledBefore + 6000);
      // (And on a busy machine, any publish whose acknowledgement timed out: published again, a duplicate.)
      expect(summary.duplicates).toBeGreaterThanOrEqual(spooledBefore);
      expect(summary.duplicates).toBeLessThanOrEqual(spooledBefore + (summary.failedRequests as number));

      const expected = path.join(dir, 'outage.ndjson');
      for (const seed of ['outage-a', 'outage-b']) {
        expect((await run(['simulate', '--count', seed === 'outage-a' ? '300' : '6000', '--seed', seed, '--start', '2025-06-01', '--rate', seed === 'outage-a' ? '5' : '500', '--out', expected])).code).toBe(0);
      }
      const ids = fs.readFileSync(expected, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
      expect(new Set(ids).size).toBe(6300);
      const stored = await readStream(url, 'OUTAGE');
      expect(stored.messages).toBe(6300);
      expect(new Set(stored.ids)).toEqual(new Set(ids));
    } finally {
      await stopAll([up]);
    }
  }, 240_000);

  it('emit --sink nats:// publishes the event it prints', async () => {
    const r = await run(['emit', 'namespace.create', '--account', 'a1', '--region', 'eu-central', '--initiator-id', 'IBMid-1', '--namespace', 'team', '--id', 'emit-nats-1', '--sink', server.url, '--stream', 'EMIT', '--subject-prefix', 'emit.events']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'emit-nats-1' });
    const stored = await readStream(server.url, 'EMIT');
    expect(stored).toMatchObject({ messages: 1, ids: ['emit-nats-1'], subjects: ['emit.events.eu-de'] });
  });

  it('nats-server unreachable at start: one line naming the address, exit 2, no stack; --wait-for-server counts its attempts', async () => {
    const port = await freePort();
    const r = await run(['simulate', '--count', '5', '--sink', `nats://127.0.0.1:${port}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`regtrail: error: cannot reach NATS at nats://127.0.0.1:${port}: connection refused (ECONNREFUSED)\n`);
    expect(r.stdout).toBe('');
    const waited = await run(['send', '-', '--sink', `nats://127.0.0.1:${port}`, '--wait-for-server', '2.5']);
    expect(waited.code).toBe(2);
    const lines = waited.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.slice(0, -1).every((l, i) => l.endsWith(`; attempt ${i + 1}, trying again`))).toBe(true);
    expect(lines.at(-1)).toMatch(/^regtrail: error: cannot reach NATS at .*\(after \d+ attempts\)$/);
    expect(waited.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses options that do not go with a nats:// sink, in one line', async () => {
    expect((await run(['simulate', '--sink', server.url, '--dead-letter', path.join(dir, 'dl.ndjson')])).stderr).toMatch(/^regtrail: error: --dead-letter goes with an HTTP sink/);
    expect((await run(['simulate', '--sink', 'nats://u:pw@127.0.0.1:4222'])).stderr).toBe(
      'regtrail: error: invalid --sink: "nats://[REDACTED]@127.0.0.1:4222" carries a user name or password; give a token with tokenEnv (--token-env) instead\n',
    );
    expect((await run(['simulate', '--sink', 'http://127.0.0.1:1/x', '--stream', 'S'])).stderr).toBe('regtrail: error: --stream goes with a nats:// sink\n');
  });

  it('two relays share a consumer against a receiver failing 1 in 5 requests; one is SIGKILLed mid-run and the other finishes: every event at least once, duplicates bounded by the in-flight batches', async () => {
    const total = 6000;
    const mem = memorySink();
    await simulate({ count: total, seed: 'relay', start: new Date('2025-06-01T00:00:00Z'), rate: 50, region: 'us-south', sink: mem });
    const producer = createJetStreamSink({ servers: server.url, stream: 'RELAY', subjectPrefix: 'relay.events', log: false });
    await Promise.all(mem.events.map((e) => producer.write(e)));
    await producer.close();

    const receiver = new Receiver();
    await receiver.start();
    let requests = 0;
    receiver.behave = () => (++requests % 5 === 0 ? { status: 503, body: 'try later' } : 'accept');
    const fetchBatch = 100;
    const parallel = 2;
    const relayArgs = (name: string) => [
      'relay', '--from', server.url, '--stream', 'RELAY', '--consumer', 'fleet', '--to', receiver.url(),
      '--ack-wait', '2', '--fetch-batch', String(fetchBatch), '--parallel', String(parallel), '--batch-size', '50',
      '--dead-letter', path.join(dir, `${name}-dead.ndjson`), '--json',
    ];
    const a = start(relayArgs('a'));
    const b = start([...relayArgs('b'), '--admin-listen', '127.0.0.1:0']);
    try {
      await until('a third of the events at the receiver', () => receiver.uniqueIds >= total / 3, 60_000).catch((e: unknown) => { throw new Error(`${String(e)}; a: ${a.err()}; b: ${b.err()}; received ${receiver.uniqueIds}`); });
      a.child.kill('SIGKILL');
      await a.exit;
      await until('every event at the receiver', () => receiver.uniqueIds === total, 90_000);
      await until('every message acknowledged', async () => {
        const s = await streamState(server.url, 'RELAY', 'fleet');
        return s.pending === 0 && s.ackPending === 0;
      }, 30_000);
      expect(new Set(receiver.accepted.keys())).toEqual(new Set(mem.events.map((e) => e.id)));
      // Duplicates come only from batches the killed relay had posted and not yet acknowledged.
      expect(receiver.duplicates).toBeLessThanOrEqual(parallel * fetchBatch);
      expect(receiver.requests.some((q) => q.reply !== 'accept')).toBe(true);

      const adminUrl = /metrics on (http:\/\/[^\s]+)\/metrics/.exec(b.err())?.[1];
      expect(adminUrl, b.err()).toBeDefined();
      const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
      expect(metrics).toMatch(/^regtrail_relay_messages_acked_total \d+$/m);
      expect(metrics).toMatch(/^regtrail_relay_up 1$/m);
      const health = await fetch(`${adminUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true });

      b.child.kill('SIGTERM');
      expect(await b.exit).toBe(0);
      const summary = JSON.parse(b.out()) as Record<string, number>;
      expect(summary.acked).toBeGreaterThan(total / 2);
      expect(summary.unacknowledged).toBe(0);
      expect(summary.deadLettered).toBe(0);
      expect(summary.failedRequests).toBeGreaterThan(0);
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      await receiver.stop();
    }
  }, 240_000);

  /** A long-running command (proxy, notifications), once it says where it listens. */
  async function serve(args: string[]) {
    const p = start(args);
    await until('the command to listen', () => {
      if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode}: ${p.err()}`);
      return p.err().includes('listening on');
    }, 30_000);
    return p;
  }

  it('proxy --sink nats:// (--on-audit-failure closed): each request is answered only once its event is in the stream', async () => {
    const D = `sha256:${'e'.repeat(64)}`;
    const upstream = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': D }).end('{"schemaVersion":2}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const port = await freePort();
    const p = await serve([
      'proxy', '--upstream', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, '--listen', `127.0.0.1:${port}`, '--account', 'acct1', '--region', 'eu-central',
      '--on-audit-failure', 'closed', '--sink', server.url, '--stream', 'PROXY', '--subject-prefix', 'proxy.events', '--json',
    ]);
    try {
      expect(p.err()).toContain(`events to NATS stream PROXY at ${server.url}`);
      const auth = { authorization: `Basic ${Buffer.from('bob:pw-secret-1').toString('base64')}` };
      for (let i = 1; i <= 5; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/v2/ns/app/manifests/${i}`, { headers: auth });
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        // Under closed, the answer waits for the sink: the stream has acknowledged this event already.
        expect((await streamState(server.url, 'PROXY')).messages).toBe(i);
      }
      p.child.kill('SIGTERM');
      expect(await p.exit, p.err()).toBe(0);
      expect(JSON.parse(p.out())).toMatchObject({ ok: true, requests: 5, emitted: 5, lost: 0, undelivered: null });
      const stored = await readStream(server.url, 'PROXY');
      expect(stored.messages).toBe(5);
      expect(new Set(stored.subjects)).toEqual(new Set(['proxy.events.eu-de']));
    } finally {
      p.child.kill('SIGKILL');
      upstream.closeAllConnections();
      upstream.close();
    }
  }, 60_000);

  it('notifications --sink nats://: answers 2xx only after the stream acknowledged the events (not while nats-server is stopped); a resent envelope is not stored twice', async () => {
    const envelope = {
      events: [
        notificationEvent('n1', 'push', { mediaType: MANIFEST, repository: 'ns1/app', digest: DIGEST, tag: '2' }),
        notificationEvent('n2', 'pull', { mediaType: MANIFEST, repository: 'ns1/app', digest: DIGEST }),
      ],
    };
    const port = await freePort();
    const p = await serve(['notifications', '--listen', `127.0.0.1:${port}`, '--account', 'acct1', '--region', 'us-south', '--sink', server.url, '--stream', 'NOTIFY', '--subject-prefix', 'notify.events', '--json']);
    const post = () => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: JSON.stringify(envelope) }).then(async (r) => (await r.text(), r.status));
    try {
      // The stream exists (created at start) and holds nothing yet.
      expect((await streamState(server.url, 'NOTIFY')).messages).toBe(0);
      process.kill(server.pid!, 'SIGSTOP');
      let answered: number | undefined;
      const posted = post().then((status) => (answered = status));
      try {
        await new Promise((r) => setTimeout(r, 2000));
        expect(answered, 'answered while nats-server could not acknowledge').toBeUndefined();
      } finally {
        process.kill(server.pid!, 'SIGCONT');
      }
      expect(await posted).toBe(200);
      expect((await streamState(server.url, 'NOTIFY')).messages).toBe(2);
      expect(await post()).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exit, p.err()).toBe(0);
      expect(JSON.parse(p.out())).toMatchObject({ ok: true, emitted: 2, undelivered: null });
      const stored = await readStream(server.url, 'NOTIFY');
      expect(stored.messages).toBe(2);
      expect(stored.subjects).toEqual(['notify.events.us-south', 'notify.events.us-south']);
    } finally {
      if (server.pid) process.kill(server.pid, 'SIGCONT');
      p.child.kill('SIGKILL');
    }
  }, 60_000);

  it('proxy and notifications refuse NATS-only options without a nats:// sink, in one line', async () => {
    const r = await run(['notifications', '--listen', '127.0.0.1:0', '--account', 'a', '--region', 'us-south', '--out', path.join(dir, 'n.ndjson'), '--stream', 'S']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('regtrail: error: --stream needs --sink\n');
  });
});

describe('regtrail relay --to: checked at start, before connecting anywhere', () => {
  // Nothing listens on --from: a relay that tried to connect would say "cannot reach NATS" instead.
  it.each([
    ['ftp://ingest.example.test/v1/events', 'expected an http or https URL, optionally with {location}'],
    ['not a url', 'expected an http or https URL, optionally with {location}'],
    ['https://ingest.{region}.example.test/v1/events', 'unknown placeholder {region}; the only one is {location}'],
    ['http://127.0.0.1:8080/{loc}/v1/events', 'unknown placeholder {loc}; the only one is {location}'],
    ['https://user:pw@ingest.example.test/v1/events', 'a sink URL carries no user name or password'],
  ])('--to %s', async (to, why) => {
    const port = await freePort();
    const r = await run(['relay', '--from', `nats://127.0.0.1:${port}`, '--to', to]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^regtrail: error: invalid --to "/);
    expect(r.stderr).toContain(why);
    expect(r.stderr).not.toContain('pw@');
  });
});
