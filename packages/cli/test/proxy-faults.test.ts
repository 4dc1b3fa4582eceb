import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './paths.js';
import { freePort } from './registry.js';
import { mountSmallDisk } from '../../core/test/small-disk.js';

/** `regtrail proxy` as a process in front of a stub upstream: a full disk, SIGTERM with a request in flight. */

const D = `sha256:${'e'.repeat(64)}`;
let slow = 0;
const upstream = http.createServer((req, res) => {
  req.resume();
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': D }).end('{"schemaVersion":2}'), req.url!.includes('slow') ? slow : 0);
});
let upstreamPort: number;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-proxy-faults-'));
beforeAll(async () => {
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startProxy(out: string, extra: string[] = []) {
  const port = await freePort();
  const admin = await freePort();
  const child = spawn(process.execPath, [cliPath, 'proxy', '--upstream', `http://127.0.0.1:${upstreamPort}`, '--listen', `127.0.0.1:${port}`, '--account', 'acct1', '--region', 'us-south', '--out', out, '--admin-listen', `127.0.0.1:${admin}`, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('listening on')) resolve();
    });
    void exited.then((code) => reject(new Error(`proxy exited ${code}: ${stderr}`)));
  });
  const get = async (p: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { authorization: `Basic ${Buffer.from('bob:pw-secret-1').toString('base64')}` } });
    await res.arrayBuffer();
    return res.status;
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text();
    const m = new RegExp(`^${name.replace(/[{}.]/g, '\\$&')} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  const stop = async () => {
    child.kill('SIGTERM');
    return { code: await exited, stderr, stdout };
  };
  return { get, metric, stop, stderr: () => stderr };
}

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('regtrail proxy: SIGTERM', () => {
  it('drains the request in flight, writes its event, and exits 0', async () => {
    const out = path.join(dir, 'drain.ndjson');
    const p = await startProxy(out, ['--json']);
    slow = 1500;
    const inFlight = p.get('/v2/ns/app/manifests/slow');
    await new Promise((r) => setTimeout(r, 300));
    const stopped = p.stop();
    expect(await inFlight).toBe(200);
    const { code, stdout, stderr } = await stopped;
    expect(stderr).toMatch(/SIGTERM: finishing the requests in flight/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, requests: 1, emitted: 1, lost: 0 });
    expect(lines(out).map((l) => JSON.parse(l).target.name)).toEqual(['us.icr.io/ns/app:slow']);
  });
});

describe('regtrail proxy: the sink\'s disk is full', () => {
  const disk = mountSmallDisk(128 * 1024);
  if (!disk) console.warn('proxy disk-full tests skipped: cannot mount a tmpfs here (needs root)');
  afterAll(() => disk?.unmount());

  it.runIf(disk !== undefined)('open: traffic keeps flowing, each lost event is counted and logged, and the exit status says so', async () => {
    const out = path.join(disk!.dir, 'open.ndjson');
    const p = await startProxy(out);
    expect(await p.get('/v2/ns/app/manifests/1')).toBe(200);
    await until(() => lines(out).length === 1);
    disk!.fill();
    // The last page of the events file may still hold an event or two; then the disk is full.
    for (let i = 2; i <= 12; i++) expect(await p.get(`/v2/ns/app/manifests/${i}`)).toBe(200);
    await until(async () => (await p.metric('regtrail_proxy_events_emitted_total{action="image.pull"}')) + (await p.metric('regtrail_proxy_events_dropped_total{action="image.pull"}')) === 12);
    const dropped = await p.metric('regtrail_proxy_events_dropped_total{action="image.pull"}');
    expect(dropped).toBeGreaterThanOrEqual(8);
    expect(await p.metric('regtrail_proxy_requests_total{action="image.pull",outcome="success"}')).toBe(12);
    const { code, stderr } = await p.stop();
    disk!.free();
    expect(code).toBe(1);
    expect(stderr).toMatch(/the image\.pull event is lost: .*ENOSPC/);
    expect(stderr.match(/event is lost/g)).toHaveLength(dropped);
    expect(stderr).toContain(`${dropped} event(s) were lost`);
    expect(stderr).not.toContain('pw-secret-1');
  });

  it.runIf(disk !== undefined)('closed: requests that generate events get 503 until the sink works again', async () => {
    const out = path.join(disk!.dir, 'closed.ndjson');
    const p = await startProxy(out, ['--on-audit-failure', 'closed']);
    expect(await p.get('/v2/ns/app/manifests/1')).toBe(200);
    await until(() => lines(out).length === 1);
    disk!.fill();
    // The last page of the events file may still hold an event or two; then the disk is full.
    let first = 0;
    for (let i = 2; i <= 12 && !first; i++) if ((await p.get(`/v2/ns/app/manifests/${i}`)) === 503) first = i;
    expect(first).toBeGreaterThan(0);
    expect(await p.get('/v2/ns/app/manifests/again')).toBe(503);
    // Requests that generate no event are not held back.
    expect(await p.get(`/v2/ns/app/blobs/${D}`)).toBe(200);
    expect(await p.metric('regtrail_proxy_requests_total{action="image.pull",outcome="refused"}')).toBe(2);
    expect(await p.metric('regtrail_proxy_requests_total{action="none",outcome="success"}')).toBe(1);
    disk!.free();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await p.get('/v2/ns/app/manifests/4')).toBe(200);
    const { code } = await p.stop();
    // The event of the first refused request could not be written when it happened.
    expect(code).toBe(1);
    const names = lines(out).map((l) => JSON.parse(l).target.name);
    expect(names[0]).toBe('us.icr.io/ns/app:1');
    expect(names.at(-1)).toBe('us.icr.io/ns/app:4');
    // The request refused while the sink was known to fail never reached the upstream, and has no event.
    expect(names).not.toContain('us.icr.io/ns/app:again');
  });
});
