import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cliPath } from './paths.js';
import { mountSmallDisk } from '../../core/test/small-disk.js';
import { Receiver } from '../../core/test/receiver.js';
import { SIMULATED_EVENT_MIN_BYTES } from '@regtrail/core/emit';

/**
 * (Generous time limits: each test starts the CLI a few times, slow on a busy two-core machine.)
 * The built CLI where the disk fails it: a full spool, a full --out, a file that cannot be
 * written, a damaged spool. Each ends with what was done and what was not, never "ok" and
 * never a stack trace.
 */
const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

/** Nothing listens on port 9 (discard): every request fails, everything stays in the spool. */
const DOWN = 'http://127.0.0.1:9/{location}/v1/events';
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |internal error/);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-disk-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The most events the CLI lets through for `dir`'s free space (SIMULATED_EVENT_MIN_BYTES each):
 * real events are larger, so the disk fills part way through.
 */
const mostThatFit = (dir: string) => {
  const s = fs.statfsSync(dir);
  return Math.floor((s.bavail * s.bsize) / SIMULATED_EVENT_MIN_BYTES);
};

const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('regtrail on a full disk (a real tmpfs)', { timeout: 90_000 }, () => {
  const disk = mountSmallDisk(1024 * 1024);
  if (!disk) console.warn('CLI disk-full tests skipped: cannot mount a tmpfs here (needs root)');
  afterEach(() => {
    disk?.free();
    for (const name of fs.readdirSync(disk?.dir ?? dir)) if (disk) fs.rmSync(path.join(disk.dir, name), { recursive: true, force: true });
  });
  afterAll(() => disk?.unmount());

  it.runIf(disk !== undefined)('simulate --sink --json on a full spool disk: how many were accepted, how many not and why; never ok; exit 1', async () => {
    const spool = path.join(disk!.dir, 'spool');
    fs.mkdirSync(spool);
    // Room for a few hundred events.
    fs.writeFileSync(path.join(disk!.dir, 'filler2'), Buffer.alloc(600 * 1024));
    const n = mostThatFit(spool);
    // --timeout: long enough that a busy machine's slow writes are not taken for a stall.
    const r = await run(['simulate', '--count', String(n), '--sink', DOWN, '--spool', spool, '--timeout', '5', '--json']);
    noStack(r.stderr);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result.ok).toBe(false);
    expect(result.requested).toBe(n);
    const accepted = result.accepted as number;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(n);
    expect(result.notAccepted).toBe(n - accepted);
    expect(result.simulated as number).toBeGreaterThanOrEqual(accepted);
    expect(result.simulated as number).toBeLessThanOrEqual(n);
    expect(String(result.error)).toMatch(new RegExp(`cannot write to the spool ${spool}.*ENOSPC`));
    // What was accepted is in the spool, waiting: not one more, not one less.
    expect(result.pending).toBe(accepted);
    const spooled = fs.readdirSync(spool).filter((n) => n.startsWith('seg-')).flatMap((n) => lines(path.join(spool, n)));
    expect(spooled).toHaveLength(accepted);
    expect(r.stderr).toMatch(/regtrail: error: cannot write to the spool .*ENOSPC/);
  });

  it.runIf(disk !== undefined)('simulate --sink on a full spool disk, as text: the summary says what was not accepted', async () => {
    const spool = path.join(disk!.dir, 'spool');
    fs.writeFileSync(path.join(disk!.dir, 'filler2'), Buffer.alloc(600 * 1024));
    const n = mostThatFit(disk!.dir);
    const r = await run(['simulate', '--count', String(n), '--sink', DOWN, '--spool', spool, '--timeout', '5']);
    noStack(r.stderr);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^(\\d+) of ${n} events accepted; \\d+ not accepted: cannot write to the spool .*ENOSPC.*; 0 sent, \\d+ retried, 0 dead-lettered, \\d+ pending\\n$`));
    const [, accepted] = /^(\d+) of/.exec(r.stdout)!;
    expect(r.stdout).toContain(`; ${n - Number(accepted)} not accepted`);
    expect(r.stdout).toContain(` ${accepted} pending`);
  });

  it.runIf(disk !== undefined)('a spool on a disk too full to open: one line naming it', async () => {
    const spool = path.join(disk!.dir, 'spool');
    fs.mkdirSync(spool);
    disk!.fill();
    // --count 0 needs no room; opening the spool does.
    const r = await run(['simulate', '--count', '0', '--sink', DOWN, '--spool', spool, '--timeout', '1']);
    noStack(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^regtrail: error: cannot open the spool ${spool}: ${spool}/\\S+: no space left on the device \\(ENOSPC\\)\\n$`));
    expect(r.stdout).toBe('');
  });

  it.runIf(disk !== undefined)('simulate --out on a full disk: one line naming the file, the summary counts what is in it, exit 1', async () => {
    const out = path.join(disk!.dir, 'events.ndjson');
    fs.writeFileSync(path.join(disk!.dir, 'filler2'), Buffer.alloc(800 * 1024));
    const n = mostThatFit(disk!.dir);
    const r = await run(['simulate', '--count', String(n), '--out', out, '--json']);
    noStack(r.stderr);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: false, requested: n, file: out });
    expect(result.accepted).toBe(lines(out).length);
    expect(result.accepted as number).toBeGreaterThan(0);
    expect(result.notAccepted).toBe(n - lines(out).length);
    expect(String(result.error)).toMatch(new RegExp(`cannot write to ${out}: ENOSPC`));
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^regtrail: error: cannot write to ${out}: ENOSPC`))]);
    // Every line in the file is whole.
    for (const line of lines(out)) expect(() => JSON.parse(line)).not.toThrow();

    fs.rmSync(out);
    const text = await run(['simulate', '--count', String(n), '--out', out]);
    expect(text.code).toBe(1);
    noStack(text.stderr);
    expect(text.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^regtrail: error: cannot write to ${out}: ENOSPC; ${lines(out).length} of ${n} events written$`))]);
  });

  it.runIf(disk !== undefined)('--count absurd for the destination is refused before anything is written', async () => {
    const out = path.join(disk!.dir, 'huge.ndjson');
    const r = await run(['simulate', '--count', '100000000', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^regtrail: error: invalid --count "100000000": .* at least \\d+ bytes, and the file system of ${out} has \\d+ bytes free\\n$`));
    expect(fs.existsSync(out)).toBe(false);
    const spool = path.join(disk!.dir, 'spool');
    const s = await run(['simulate', '--count', '100000000', '--sink', DOWN, '--spool', spool]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(new RegExp(`^regtrail: error: invalid --count "100000000": .* the file system of the spool ${spool} has \\d+ bytes free`));
  });
});

describe('regtrail where a path is not what it should be', { timeout: 90_000 }, () => {
  it('--out /proc/version: one line naming the file, exit 1', async () => {
    const r = await run(['simulate', '--count', '5', '--out', '/proc/version']);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^regtrail: error: cannot write to \/proc\/version: \w+/)]);
    const json = await run(['simulate', '--count', '5', '--out', '/proc/version', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, accepted: 0, notAccepted: 5 });
  });

  it('a spool segment replaced by a directory: one line naming it, exit 2', async () => {
    const spool = path.join(dir, 'dir-segment');
    fs.mkdirSync(path.join(spool, 'seg-0000000000000001.ndjson'), { recursive: true });
    const r = await run(['simulate', '--count', '5', '--sink', DOWN, '--spool', spool, '--timeout', '1']);
    expect(r.code).toBe(2);
    noStack(r.stderr);
    expect(r.stderr.trimEnd().split('\n').filter((l) => !l.includes('not delivered stay'))).toEqual([
      expect.stringMatching(new RegExp(`^regtrail: error: cannot open the spool ${spool}: ${spool}/seg-0000000000000001\\.ndjson is a directory`)),
    ]);
  });
});

describe('regtrail on a damaged spool', { timeout: 90_000 }, () => {
  it('a segment overwritten in the middle: the events lost, the segment and offset on standard error, exit 1; the JSON says lost', async () => {
    const spool = path.join(dir, 'damaged');
    const first = await run(['simulate', '--count', '40', '--sink', DOWN, '--spool', spool, '--timeout', '1']);
    expect(first.code).toBe(1);
    const [name] = fs.readdirSync(spool).filter((n) => n.startsWith('seg-'));
    const file = path.join(spool, name!);
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(1500, 0x00), 0, 1500, Math.floor(size / 2));
    fs.closeSync(fd);
    // Everything else is delivered: only the loss makes it fail.
    const receiver = await new Receiver().start();
    const again = await run(['simulate', '--count', '0', '--sink', receiver.url(), '--spool', spool, '--json']);
    await receiver.stop();
    noStack(again.stderr);
    expect(again.code).toBe(1);
    const result = JSON.parse(again.stdout) as Record<string, number>;
    expect(result.lost).toBeGreaterThan(0);
    expect(result).toMatchObject({ ok: false, pending: 0, sent: 40 - result.lost!, recovered: 40 - result.lost! });
    expect(receiver.uniqueIds).toBe(40 - result.lost!);
    expect(again.stderr).toMatch(new RegExp(`regtrail: error: spool ${spool}: segment ${name} is damaged \\(\\d+ damaged byte\\(s\\) at byte offset \\d+\\): ${result.lost} event\\(s\\) lost; the damaged bytes are kept in ${spool}/quarantine/${name}\\.at-\\d+\\n`));
    expect(fs.readdirSync(path.join(spool, 'quarantine'))).toHaveLength(1);
  });
});

describe('regtrail send on a full spool disk', { timeout: 90_000 }, () => {
  const disk = mountSmallDisk(1024 * 1024);
  afterAll(() => disk?.unmount());

  it.runIf(disk !== undefined)('stops reading at the first event the spool cannot take, says why, never ok, exit 1; what was accepted stays in the spool', async () => {
    const spool = path.join(disk!.dir, 'spool');
    fs.writeFileSync(path.join(disk!.dir, 'filler2'), Buffer.alloc(700 * 1024));
    const input = path.join(dir, 'many.ndjson');
    const sim = await run(['simulate', '--count', '2000', '--seed', '3', '--out', input]);
    expect(sim.code, sim.stderr).toBe(0);
    const r = await run(['send', input, '--sink', DOWN, '--spool', spool, '--timeout', '5', '--json']);
    noStack(r.stderr);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result.ok).toBe(false);
    expect(String(result.stopped)).toMatch(new RegExp(`cannot write to the spool ${spool}: .*ENOSPC`));
    expect(result.valid as number).toBeLessThan(2000);
    const spooled = fs.readdirSync(spool).filter((n) => n.startsWith('seg-')).flatMap((n) => lines(path.join(spool, n)));
    expect(result.pending).toBe(spooled.length);
    expect(spooled.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/regtrail: error: cannot write to the spool .*ENOSPC.*; the rest of .*many\.ndjson was not read/);
  });
});
