import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './paths.js';
import { Receiver } from '../../core/test/receiver.js';
import { createEmitter, memorySink } from '@regtrail/core';

/** The built CLI as a child process (asynchronous, so that the receiver in this process keeps answering). */
const run = (args: string[], { input, env }: { input?: string; env?: Record<string, string> } = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [cliPath, ...args], { maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-send-'));
/** A regular file: a spool under it cannot be made. */
const NOT_A_DIR = path.join(dir, 'not-a-dir');
fs.writeFileSync(NOT_A_DIR, '');

function goodLines(n: number, prefix = 'ev'): string[] {
  const emitter = createEmitter({ accountId: 'acct', region: 'eu-de', sink: memorySink(), clock: () => Date.UTC(2025, 2, 3, 4, 5, 6, 780) });
  return Array.from({ length: n }, (_, i) => {
    const e = emitter.build('namespace.create', { initiator: { id: 'IBMid-9', ip: '192.0.2.1' }, target: { type: 'namespace', name: `ns-${i}` } });
    return JSON.stringify({ ...e, id: `${prefix}-${i}` });
  });
}

describe('regtrail send and simulate --sink (built CLI against a receiver on 127.0.0.1)', () => {
  const receiver = new Receiver();
  beforeAll(async () => void (await receiver.start()));
  afterAll(() => receiver.stop());
  const reset = () => {
    receiver.accepted.clear();
    receiver.requests.length = 0;
    receiver.behave = () => 'accept';
  };

  it('sends the valid lines of a mixed file, reports the invalid ones with line numbers, exits 1', async () => {
    reset();
    const good = goodLines(40, 'mixed');
    const lines = [...good.slice(0, 10), '{"oops', ...good.slice(10, 30), '[1]', JSON.stringify({ ...JSON.parse(good[30]!), severity: 'loud' }), ...good.slice(31), 'tail-without-newline'];
    const file = path.join(dir, 'mixed.ndjson');
    fs.writeFileSync(file, lines.join('\r\n'));
    const r = await run(['send', file, '--sink', receiver.url(), '--batch-size', '7']);
    expect(r.code, r.stderr).toBe(1);
    const out = r.stdout.trimEnd().split('\n');
    expect(out.find((l) => l.startsWith('line 11: (event): not valid JSON'))).toBeDefined();
    expect(out.find((l) => l.startsWith('line 32: (event): the event must be a JSON object'))).toBeDefined();
    expect(out.find((l) => l.startsWith('line 33: /severity: '))).toBeDefined();
    expect(out.find((l) => l.startsWith('line 43: (event): truncated'))).toBeDefined();
    expect(out.at(-1)).toBe(`${file}: 43 events read, 39 valid, 4 invalid; 39 sent, 0 retried, 0 dead-lettered, 0 pending`);
    expect(receiver.uniqueIds).toBe(39);
    expect(receiver.accepted.has('mixed-30')).toBe(false);
    expect(receiver.requests.every((q) => q.path === '/eu-de/v1/events' && q.ids.length <= 7)).toBe(true);
  });

  it('--json, standard input, a plain URL, and exit 0 when everything is delivered', async () => {
    reset();
    const r = await run(['send', '-', '--sink', receiver.url('/ingest'), '--json'], { input: `\uFEFF${goodLines(25, 'stdin').join('\n')}\n` });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ file: '(stdin)', ok: true, events: 25, valid: 25, invalid: 0, sent: 25, deadLettered: 0, pending: 0, spool: null, problems: [] });
    expect(receiver.uniqueIds).toBe(25);
    expect(receiver.requests.every((q) => q.path === '/ingest')).toBe(true);
  });

  it('simulate --count 500 --sink: 500 unique ids arrive, exit 0', async () => {
    reset();
    const r = await run(['simulate', '--count', '500', '--seed', '5', '--sink', receiver.url()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('500 events simulated; 500 sent, 0 retried, 0 dead-lettered, 0 pending\n');
    expect(receiver.uniqueIds).toBe(500);
    expect(new Set(receiver.requests.map((q) => q.path)).size).toBeGreaterThan(1); // routed per location
  });

  it('simulate --json: the result as one JSON object, with --sink or --out; without them a usage error', async () => {
    reset();
    const r = await run(['simulate', '--count', '200', '--seed', '7', '--sink', receiver.url(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ simulated: 200, ok: true, sent: 200, retried: 0, deadLettered: 0, pending: 0, stopped: null, spool: null, deadLetterFile: null });
    expect(receiver.uniqueIds).toBe(200);
    const out = path.join(dir, 'simulated.ndjson');
    const f = await run(['simulate', '--count', '50', '--seed', '7', '--out', out, '--json']);
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(f.stdout)).toEqual({ requested: 50, simulated: 50, accepted: 50, notAccepted: 0, ok: true, error: null, file: out });
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(50);
    const bare = await run(['simulate', '--count', '5', '--json']);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toBe('regtrail: error: --json needs --out or --sink: without them the events themselves go to standard output\n');
  });

  it('a receiver failing one request in three: every event still arrives', async () => {
    reset();
    receiver.behave = ({ index }) => (index % 3 === 0 ? { status: 503, headers: { 'retry-after': '0' } } : 'accept');
    const sim = await run(['simulate', '--count', '300', '--seed', '6', '--sink', receiver.url(), '--batch-size', '20']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(receiver.uniqueIds).toBe(300);
    expect(sim.stdout).toMatch(/^300 events simulated; 300 sent, [1-9]\d* retried, 0 dead-lettered, 0 pending\n$/);
    reset();
    receiver.behave = ({ index }) => (index % 3 === 1 ? 'reset' : 'accept');
    const file = path.join(dir, 'flaky.ndjson');
    fs.writeFileSync(file, `${goodLines(200, 'flaky').join('\n')}\n`);
    const send = await run(['send', file, '--sink', receiver.url(), '--batch-size', '10', '--json']);
    expect(send.code, send.stderr).toBe(0);
    expect(JSON.parse(send.stdout)).toMatchObject({ sent: 200, pending: 0, ok: true });
    expect(receiver.uniqueIds).toBe(200);
  });

  it('dead letters exit 1 and never show the token; an undelivered run leaves a spool that a second run sends', async () => {
    reset();
    const token = 'tok-SECRET-123';
    receiver.behave = ({ index }) => (index === 0 ? { status: 400, body: `bad request from Bearer ${token}` } : 'accept');
    const file = path.join(dir, 'dead.ndjson');
    fs.writeFileSync(file, `${goodLines(5, 'dead').join('\n')}\n`);
    const r = await run(['send', file, '--sink', receiver.url(), '--token-env', 'RT_TOKEN', '--batch-size', '5', '--json'], { env: { RT_TOKEN: token } });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(token);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ deadLettered: 5, sent: 0, ok: false });
    expect(fs.readFileSync(result.deadLetterFile, 'utf8')).not.toContain(token);
    expect(receiver.requests[0]!.authorization).toBe(`Bearer ${token}`);

    // The endpoint is down: nothing is delivered before the time limit; the same --spool later sends it all.
    reset();
    const spool = path.join(dir, 'spool');
    const down = await run(['send', file, '--sink', 'http://127.0.0.1:9/{location}/v1/events', '--spool', spool, '--timeout', '1']);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/5 events read, 5 valid, 0 invalid; 0 sent, \d+ retried, 0 dead-lettered, 5 pending/);
    expect(down.stderr).toContain(`--spool ${spool}`);
    const empty = path.join(dir, 'empty.ndjson');
    fs.writeFileSync(empty, '');
    const again = await run(['send', empty, '--sink', receiver.url(), '--spool', spool]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/5 sent, 0 retried, 0 dead-lettered, 0 pending \(5 recovered from the spool\)/);
    expect(receiver.uniqueIds).toBe(5);
  });

  it('an endpoint that stays down: reading stops after --timeout of no progress, exit 1, the summary says what was produced and accepted, the spool keeps it', async () => {
    const spool = path.join(dir, 'stalled');
    const t = Date.now();
    const r = await run(['simulate', '--count', '12000', '--sink', 'http://127.0.0.1:9/{location}/v1/events', '--spool', spool, '--timeout', '1', '--json']);
    expect(r.code).toBe(1);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(r.stderr).toMatch(/stopped reading: nothing was delivered for 1 s while 10000 event\(s\) waited/);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    // The sink's queue holds 10,000; the simulator stopped soon after, not at 12,000.
    expect(result).toMatchObject({ requested: 12000, accepted: 10000, notAccepted: 2000, ok: false, sent: 0, pending: 10000, error: null, spool });
    expect(result.simulated as number).toBeGreaterThanOrEqual(10000);
    expect(result.simulated as number).toBeLessThan(12000);
    expect(String(result.stopped)).toMatch(/^stopped reading/);
    expect(fs.readdirSync(spool).some((f) => f.startsWith('seg-'))).toBe(true);
  }, 40_000);

  it.each([
    [['send', 'x.ndjson', '--sink', 'ftp://example.test/'], /invalid --sink "ftp:\/\/example.test\/"/],
    [['send', 'x.ndjson', '--sink', 'not a url'], /invalid --sink/],
    [['send', 'x.ndjson', '--sink', 'http://u:pw@'], /invalid --sink "http:\/\/\[REDACTED\]@"/],
    [['send', 'x.ndjson', '--sink', 'http://user:s3cret@127.0.0.1:1/v1/events'], /invalid --sink "http:\/\/\[REDACTED\]@127\.0\.0\.1:1\/v1\/events": a sink URL carries no user name or password; give the token with --token-env/],
    [['send', 'x.ndjson', '--sink', 'https://user@ingest.example.test/'], /a sink URL carries no user name or password; give the token with --token-env/],
    [['simulate', '--count', '9007199254740993'], /invalid --count "9007199254740993": more than 9007199254740991/],
    [['send', '/nonexistent/x.ndjson', '--sink', 'http://127.0.0.1:1/'], /cannot read \/nonexistent\/x.ndjson: no such file/],
    [['send', '-', '--sink', 'http://127.0.0.1:1/', '--token-env', 'RT_NOT_SET_ANYWHERE'], /environment variable RT_NOT_SET_ANYWHERE is not set/],
    [['send', '-', '--sink', 'http://127.0.0.1:1/', '--batch-size', '0'], /invalid --batch-size "0"/],
    [['send', '-', '--sink', 'http://127.0.0.1:1/', '--max-line-bytes', 'lots'], /invalid --max-line-bytes "lots"/],
    [['send', '-'], /required option '--sink <url>'/],
    [['simulate', '--sink', 'http://127.0.0.1:1/', '--out', 'x'], /--out and --sink cannot be used together/],
    [['simulate', '--spool', 'x'], /--spool needs --sink/],
    [['simulate', '--count', '3', '--sink', 'http://127.0.0.1:1/', '--spool', `${NOT_A_DIR}/spool`], /invalid --spool ".*not-a-dir\/spool": cannot create or write it \(ENOTDIR\)/],
  ])('%j is a usage error (2)', async (args, message) => {
    const r = await run(args, { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--help for send and simulate names the delivery options', async () => {
    for (const command of ['send', 'simulate']) {
      const r = await run([command, '--help']);
      expect(r.code).toBe(0);
      for (const option of ['--sink <url>', '--spool <dir>', '--token-env <name>', '--dead-letter <file>', '--batch-size <n>', '--timeout <s>']) expect(r.stdout).toContain(option);
    }
    expect((await run(['send', '--help'])).stdout).toContain('--max-line-bytes <n>');
  });
});
