import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrn, type ActivityEvent } from '@regtrail/core/emit';
import { whereIs } from '@regtrail/core/catalog';
import { cliPath } from './paths.js';
import { freePort, makeOciLayout, startRegistry, waitForPort, type Registry } from './registry.js';
import { Receiver } from '../../core/test/receiver.js';

/**
 * The audit proxy and the notifications receiver against a real registry (Debian's
 * docker-registry, CNCF distribution) driven by a real client (skopeo), all as processes.
 */

const USER = 'alice';
const PASSWORD = 'pw-Zq8#wX3!kL';
const BAD_PASSWORD = 'not-the-pw-7Yt';
/** A bearer token whose claims name IBMid-TOKENUSER; its signature part is a secret that must not leak. */
const TOKEN = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'IBMid-TOKENUSER' })).toString('base64url')}.SECRETSIGNATURE-9f8e7d`;
const ACCOUNT = 'acct0123';
const REGION = 'eu-de';
const HOST = 'de.icr.io';

const tools = ['docker-registry', 'skopeo'].filter((t) => !fs.existsSync(`/usr/bin/${t}`));
if (tools.length) throw new Error(`these tests need ${tools.join(' and ')} (Debian packages; .ci/run installs them)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-registry-test-'));
const proxyOut = path.join(dir, 'proxy.ndjson');
const spool = path.join(dir, 'spool');

interface Service {
  readonly child: ChildProcess;
  stderr: string;
  stdout: string;
  /** Sends SIGTERM and resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the built CLI and waits until it says it listens. */
async function serve(args: string[]): Promise<Service> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const s: Service = {
    child,
    stderr: '',
    stdout: '',
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
  child.stdout!.on('data', (c: Buffer) => (s.stdout += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      s.stderr += c.toString();
      if (s.stderr.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`regtrail ${args[0]} exited ${code}: ${s.stderr}`)));
  });
  return s;
}

const skopeo = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('skopeo', ['--command-timeout', '60s', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const readEvents = (file: string): ActivityEvent[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ActivityEvent) : [];

/** Waits until `get` returns at least `n` items (events are written once the upstream has answered, so just after the client is done). */
async function atLeast<T>(get: () => T[], n: number, ms = 15_000): Promise<T[]> {
  const until = Date.now() + ms;
  for (;;) {
    const items = get();
    if (items.length >= n || Date.now() > until) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
}

let registry: Registry;
let proxy: Service;
let notifications: Service;
let proxyPort: number;
let adminPort: number;
const receiver = new Receiver();
/** The events the notifications receiver delivered. */
const received: ActivityEvent[] = [];
receiver.behave = ({ events }) => {
  received.push(...(events as unknown as ActivityEvent[]));
  return 'accept';
};
const layout = path.join(dir, 'layout');
let manifestDigest: string;
/** Events of the proxy so far; each step takes the new ones. */
let seen = 0;
async function step(expected: number): Promise<ActivityEvent[]> {
  const all = await atLeast(() => readEvents(proxyOut), seen + expected);
  // Nothing more comes late.
  await new Promise((r) => setTimeout(r, 300));
  const now = readEvents(proxyOut);
  const fresh = now.slice(seen);
  seen = now.length;
  expect(all.length).toBeGreaterThanOrEqual(seen - fresh.length + expected);
  return fresh;
}
const image = () => `127.0.0.1:${proxyPort}/ns1/app`;
const creds = `${USER}:${PASSWORD}`;

beforeAll(async () => {
  await receiver.start();
  const notifyPort = await freePort();
  notifications = await serve([
    'notifications', '--listen', `127.0.0.1:${notifyPort}`, '--account', ACCOUNT, '--region', REGION,
    '--sink', `http://127.0.0.1:${receiver.port}/{location}/v1/events`, '--spool', spool, '--batch-size', '1',
  ]);
  registry = await startRegistry({ user: USER, password: PASSWORD, notify: `http://127.0.0.1:${notifyPort}/` });
  proxyPort = await freePort();
  adminPort = await freePort();
  proxy = await serve([
    'proxy', '--upstream', `http://127.0.0.1:${registry.port}`, '--listen', `127.0.0.1:${proxyPort}`, '--account', ACCOUNT, '--region', REGION,
    '--out', proxyOut, '--admin-listen', `127.0.0.1:${adminPort}`, '--json',
  ]);
  await waitForPort(proxyPort);
  ({ manifestDigest } = makeOciLayout(layout));
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await notifications?.stop();
  await registry?.stop();
  await receiver.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('regtrail proxy in front of a real registry, driven by skopeo', () => {
  it('push: exactly one image.push success, by the htpasswd user', async () => {
    const r = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${layout}:latest`, `docker://${image()}:1.0`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = await step(1);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['container-registry.image.push', 'success']]);
    const [push] = events;
    expect(push!.initiator).toMatchObject({ id: USER, name: USER, credential: { type: 'user' }, host: { address: '127.0.0.1', addressType: 'IPv4' } });
    expect(push!.target.name).toBe(`${HOST}/ns1/app:1.0`);
    // The registry told the digest: the CRN names the image by it.
    expect(parseCrn(push!.target.id).resource).toBe(`ns1/app@${manifestDigest}`);
    expect(push!.reason.reasonCode).toBe(201);
    expect(push!.severity).toBe('normal');
  });

  it('copy back: one image.pull; inspect: one more', async () => {
    const back = path.join(dir, 'back');
    const r = await skopeo('copy', '--src-tls-verify=false', '--src-creds', creds, `docker://${image()}:1.0`, `oci:${back}:1.0`);
    expect(r.code).toBe(0);
    expect((await step(1)).map((e) => [e.action, e.outcome, e.target.name])).toEqual([['container-registry.image.pull', 'success', `${HOST}/ns1/app:1.0`]]);
    const i = await skopeo('inspect', '--tls-verify=false', '--creds', creds, `docker://${image()}:1.0`);
    expect(i.code).toBe(0);
    expect(JSON.parse(i.stdout).Digest).toBe(manifestDigest);
    expect((await step(1)).map((e) => [e.action, e.outcome])).toEqual([['container-registry.image.pull', 'success']]);
  });

  it('delete by digest: image.delete, critical', async () => {
    const r = await skopeo('delete', '--tls-verify=false', '--creds', creds, `docker://${image()}@${manifestDigest}`);
    expect(r.code).toBe(0);
    // skopeo reads the manifest before it deletes it.
    const events = await step(2);
    expect(events.map((e) => [e.action, e.outcome, e.target.name])).toEqual([
      ['container-registry.image.pull', 'success', `${HOST}/ns1/app@${manifestDigest}`],
      ['container-registry.image.delete', 'success', `${HOST}/ns1/app@${manifestDigest}`],
    ]);
    expect(events[1]!.severity).toBe('critical');
  });

  it('a missing tag: image.pull failure 404; a wrong password: failure 401, critical; a bearer token: its subject', async () => {
    const missing = await skopeo('inspect', '--tls-verify=false', '--creds', creds, `docker://${image()}:nope`);
    expect(missing.code).not.toBe(0);
    const [notFound] = await step(1);
    expect(notFound).toMatchObject({ action: 'container-registry.image.pull', outcome: 'failure', reason: { reasonCode: 404 }, severity: 'warning' });
    expect(notFound!.message).toMatch(/ -failure$/);

    const denied = await skopeo('inspect', '--tls-verify=false', '--creds', `${USER}:${BAD_PASSWORD}`, `docker://${image()}:1.0`);
    expect(denied.code).not.toBe(0);
    const [unauthorized] = await step(1);
    expect(unauthorized).toMatchObject({ action: 'container-registry.image.pull', outcome: 'failure', reason: { reasonCode: 401 }, severity: 'critical', initiator: { id: USER } });

    const res = await fetch(`http://127.0.0.1:${proxyPort}/v2/ns1/app/manifests/1.0`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    const [bearer] = await step(1);
    expect(bearer!.initiator).toMatchObject({ id: 'IBMid-TOKENUSER', typeURI: 'service/security/account/user', credential: { type: 'token' } });
  });

  it('every event passes regtrail lint, and its CRN and location agree with whereIs', async () => {
    const lint = await promisify(execFile)(process.execPath, [cliPath, 'lint', proxyOut]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(lint.stdout).toMatch(/8 events?, 8 valid|8 valid/);
    expect(lint.code).toBe(0);
    for (const e of readEvents(proxyOut)) {
      const where = whereIs(e.target.name, { asOf: new Date(e.eventTime.replace('+0000', 'Z')) });
      expect(parseCrn(e.target.id)).toMatchObject({ location: where.crnLocation, scope: `a/${ACCOUNT}`, resourceType: 'image' });
      expect(parseCrn(e.logSourceCRN).location).toBe(where.crnLocation);
      expect(where.region).toBe(REGION);
    }
  });

  it('serves /metrics and /healthz', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
    expect(metrics).toMatch(/regtrail_proxy_requests_total\{action="image\.push",outcome="success"\} 1/);
    expect(metrics).toMatch(/regtrail_proxy_requests_total\{action="image\.pull",outcome="failure"\} 3/);
    expect(metrics).toMatch(/regtrail_proxy_events_emitted_total\{action="image\.pull"\} 6/);
    expect(metrics).toMatch(/regtrail_proxy_upstream_latency_seconds_count \d+/);
    expect(metrics).toMatch(/regtrail_proxy_spool_backlog 0/);
    const health = await fetch(`http://127.0.0.1:${adminPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', lost: 0, inFlight: 0 });
  });

  it('the notifications receiver gives the same success events', async () => {
    const proxied = readEvents(proxyOut).filter((e) => e.outcome === 'success');
    const key = (e: ActivityEvent) => [e.action, e.target.name, e.target.id, e.initiator.id, e.initiator.credential.type].join(' ');
    const delivered = () => receiver.requests.filter((r) => r.reply === 'accept').flatMap((r) => r.ids);
    await atLeast(delivered, proxied.length);
    const bodies = receiver.requests.filter((r) => r.reply === 'accept');
    expect(bodies.map((r) => r.path)).toEqual(bodies.map(() => `/${whereIs(`${HOST}/ns1/app`).eventLocation}/v1/events`));
    expect(new Set(delivered()).size).toBe(delivered().length);
    expect(received.map(key).sort()).toEqual(proxied.map(key).sort());
  });

  it('no byte of the password or the token in any output', async () => {
    const proxyCode = await proxy.stop();
    const notifyCode = await notifications.stop();
    expect(proxyCode).toBe(0);
    expect(notifyCode).toBe(0);
    expect(JSON.parse(proxy.stdout)).toMatchObject({ ok: true, lost: 0, emitted: 8 });
    const outputs = [fs.readFileSync(proxyOut, 'utf8'), proxy.stderr, proxy.stdout, notifications.stderr, notifications.stdout, JSON.stringify(received)];
    for (const secret of [PASSWORD, BAD_PASSWORD, TOKEN, TOKEN.split('.')[2]!, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
      for (const out of outputs) expect(out.includes(secret), `a secret in ${out.slice(0, 80)}`).toBe(false);
    }
  });
});
