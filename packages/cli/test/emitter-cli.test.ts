import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cliPath } from './paths.js';
import { eventSchema, validateEvent } from '@regtrail/core';

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-cli-'));
/** A file of 200,000 lines that are not events: lint has a problem to print for each. */
const BAD_FILE = path.join(dir, 'bad.ndjson');
fs.writeFileSync(BAD_FILE, '{"not":"an event"}\n'.repeat(200_000));

describe('regtrail emit', () => {
  const base = ['emit', 'image.push', '--account', 'acct9', '--region', 'us-south', '--initiator-id', 'IBMid-310000ABCD', '--initiator-name', 'dev@example.com', '--ip', '203.0.113.7', '--time', '2025-06-01T10:20:30.456Z', '--id', 'e-1'];

  it('prints one valid event as one JSON line', async () => {
    const r = await run(...base, '--image', 'us.icr.io/ns/app:1.0', '--digest', `sha256:${'ab'.repeat(32)}`);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const event = JSON.parse(r.stdout);
    expect(validateEvent(event)).toEqual({ ok: true, problems: [] });
    expect(event).toMatchObject({
      action: 'container-registry.image.push',
      eventTime: '2025-06-01T10:20:30.45+0000',
      id: 'e-1',
      target: { name: 'us.icr.io/ns/app:1.0', id: `crn:v1:bluemix:public:container-registry:us-south:a/acct9::image:ns/app@sha256%3A${'ab'.repeat(32)}` },
      initiator: { id: 'IBMid-310000ABCD', name: 'dev@example.com', host: { address: '203.0.113.7' } },
    });
  });

  it('appends to --out with the file sink, and takes request data and failures', async () => {
    const out = path.join(dir, 'emit.ndjson');
    const one = await run(...base, '--image', 'us.icr.io/team-a/app:1', '--out', out);
    const two = await run('emit', 'image-vulnerability-report.read', '--account', 'acct9', '--region', 'ap-north', '--initiator-id', 'iam-ServiceId-1', '--image', 'jp.icr.io/ns/app:2', '--status', '403', '--request-data', '{"RequestParameters":{"name":"jp.icr.io/ns/app:2"},"headers":{"Authorization":"Bearer x"}}', '--out', out);
    expect([one.code, two.code]).toEqual([0, 0]);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual([one.stdout.trimEnd(), two.stdout.trimEnd()]);
    const failed = JSON.parse(lines[1]!);
    expect(failed).toMatchObject({ outcome: 'failure', severity: 'critical', reason: { reasonCode: 403, reasonType: 'Forbidden' }, requestData: { headers: { Authorization: '[REDACTED]' } } });
    expect(failed.logSourceCRN).toBe('crn:v1:bluemix:public:container-registry:jp-tok:a/acct9:::');
  });

  it.each([
    [['emit', 'image.push', '--region', 'us-south', '--initiator-id', 'IBMid-1'], /required option '--account <id>'/],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south'], /required option '--initiator-id <id>' not specified/],
    [['emit', 'image.pussh', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1'], /unknown action "image.pussh"/],
    [['emit', 'image.build', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1'], /removed on 2021-10-06/],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--image', 'x', '--namespace', 'y'], /cannot be used with/],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--request-data', '{bad'], /--request-data is not valid JSON/],
    [['emit', 'image-vulnerability-report.read', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--image', 'us.icr.io/ns/app:1'], /\/requestData: is required/],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1'], /image\.push acts on an image: give --image REF$/m],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--namespace', 'team-a'], /image\.push acts on an image, not on a namespace/],
    [['emit', 'namespace.create', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1'], /namespace\.create acts on a namespace: give --namespace NAME$/m],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--status', 'abc'], /invalid --status "abc"/],
  ])('%j is a one-line error, exit 2', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('regtrail schema', () => {
  it('prints the whole schema and one action’s, both compilable', async () => {
    const all = await run('schema');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual(eventSchema());
    const one = await run('schema', 'image.pull');
    const schema = JSON.parse(one.stdout);
    expect(schema.$id).toBe('urn:regtrail:schema:event:container-registry.image.pull');
    const ajv = new Ajv2020({ strict: true });
    ajv.compile(JSON.parse(all.stdout));
    ajv.compile(schema);
    expect((await run('schema', 'nope.nope')).code).toBe(2);
  });
});

describe('regtrail simulate', () => {
  it('is reproducible: the same seed gives the same bytes; another seed others', async () => {
    const a = await run('simulate', '--count', '300', '--seed', '42', '--start', '2025-03-01');
    const b = await run('simulate', '--count', '300', '--seed', '42', '--start', '2025-03-01');
    const c = await run('simulate', '--count', '300', '--seed', '43', '--start', '2025-03-01');
    expect(a.code).toBe(0);
    expect(a.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const events = a.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(300);
    for (const e of events) expect(validateEvent(e).problems).toEqual([]);
    const count = (id: string) => events.filter((e) => e.action === `container-registry.${id}`).length;
    expect(count('image.pull')).toBeGreaterThan(count('image.push'));
    expect(count('image.push')).toBeGreaterThan(count('image.list'));
    const codes = new Set(events.filter((e) => e.outcome === 'failure').map((e) => e.reason.reasonCode));
    expect(codes.size).toBeGreaterThanOrEqual(3);
    expect(events[0].eventTime).toBe('2025-03-01T00:00:00.00+0000');
    const times = events.map((e) => e.eventTime);
    expect([...times].sort()).toEqual(times);
  });

  it('writes to --out, the same bytes as to stdout', async () => {
    const out = path.join(dir, 'sim.ndjson');
    const r = await run('simulate', '--count', '50', '--seed', 'x', '--out', out, '--rate', '100');
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(fs.readFileSync(out, 'utf8')).toBe((await run('simulate', '--count', '50', '--seed', 'x', '--rate', '100')).stdout);
    const lint = await run('lint', out);
    expect(lint.code).toBe(0);
  });

  it.each([
    [['simulate', '--count', 'ten'], /invalid --count "ten"/],
    [['simulate', '--rate', '0'], /invalid --rate "0"/],
    [['simulate', '--start', 'yesterday'], /invalid --start "yesterday"/],
  ])('%j is a usage error', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  // A command cut off by its reader (EPIPE) did not do what it was asked: it stops quietly, as
  // POSIX tools do, with the status of a process killed by SIGPIPE (141), never 0.
  it.each([
    ['simulate | head', ['simulate', '--count', '200000']],
    ['lint bad.ndjson | head', ['lint', BAD_FILE]],
  ])('stops quietly when its reader goes away (%s), and does not report success', async (_name, args) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(141);
    expect(stderr).toBe('');
  });

  it('every new command has --help', async () => {
    for (const cmd of ['emit', 'lint', 'simulate', 'schema']) {
      const r = await run(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: regtrail ${cmd}`));
    }
  });
});
