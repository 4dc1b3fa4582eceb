import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturesDir, packageDir } from '../../../test/paths.js';
import { Receiver } from '../../../test/receiver.js';

/**
 * Real processes: one writes through the HTTP sink and is killed, another opens the same spool.
 * The child runs the built library (dist/), as `npm test` builds before testing.
 */
const child = path.join(fixturesDir, 'http-sink-child.ts');
const TOKEN = 'crash-test-token-7d1e9b';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Run {
  readonly proc: ChildProcess;
  readonly acked: string[];
  /** Resolves with the exit code and signal; `lines` has every complete stdout line. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>;
  /** Resolves once `n` writes were acknowledged. */
  whenAcked(n: number): Promise<void>;
}

function run(env: Record<string, string>): Run {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    cwd: packageDir,
    env: { ...process.env, REGTRAIL_INGEST_TOKEN: TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  const acked: string[] = [];
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  const waiting: { n: number; resolve: () => void }[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!; // a line cut by the kill is not an acknowledgement
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('ack ')) acked.push(line.slice(4));
    }
    for (const w of waiting.splice(0)) (acked.length >= w.n ? w.resolve() : waiting.push(w));
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, lines, stderr })),
  );
  return {
    proc,
    acked,
    exit,
    whenAcked: (n) => new Promise<void>((resolve, reject) => {
      if (acked.length >= n) return resolve();
      waiting.push({ n, resolve });
      void exit.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) after ${acked.length} acks:\n${stderr}`)));
    }),
  };
}

const statsOf = (lines: string[]) => JSON.parse(lines.find((l) => l.startsWith('stats '))!.slice(6)) as Record<string, number>;

// Child processes are slow to start on a busy machine: generous time limits.
describe('HTTP sink across processes', { timeout: 60_000 }, () => {
  it('every event acknowledged before a SIGKILL arrives once a new process opens the same spool', async () => {
    const receiver = await new Receiver().start();
    cleanup.push(() => receiver.stop());
    // Slow and unreliable at first, so that plenty is spooled but not yet delivered at the kill.
    receiver.behave = () => (Math.random() < 0.7 ? { status: 503 } : 'accept');
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-crash-'));
    cleanup.push(() => fs.rmSync(spoolDir, { recursive: true, force: true }));
    const env = { SPOOL_DIR: spoolDir, INGEST_URL: receiver.url(), COUNT: '10000' };

    const first = run({ ...env, MODE: 'write' });
    await first.whenAcked(5000);
    first.proc.kill('SIGKILL');
    const killed = await first.exit;
    expect(killed.signal).toBe('SIGKILL');
    const acked = [...first.acked];
    expect(acked.length).toBeGreaterThanOrEqual(5000);
    expect(acked.length).toBeLessThan(10_000);
    const deliveredBeforeRestart = acked.filter((id) => receiver.accepted.has(id)).length;
    expect(deliveredBeforeRestart).toBeLessThan(acked.length); // the restart has work to do

    receiver.behave = () => 'accept';
    const second = run({ ...env, MODE: 'drain' });
    const drained = await second.exit;
    expect(drained.code, drained.stderr).toBe(0);
    const recovered = Number(drained.lines.find((l) => l.startsWith('recovered '))!.slice(10));
    expect(recovered).toBeGreaterThanOrEqual(acked.length - deliveredBeforeRestart);

    const missing = acked.filter((id) => !receiver.accepted.has(id));
    expect(missing).toEqual([]);
    expect(statsOf(drained.lines)).toMatchObject({ pending: 0, deadLettered: 0 });
    expect(fs.readdirSync(spoolDir).filter((n) => n.startsWith('seg-'))).toEqual([]);
    expect(receiver.requests.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a SIGTERM handler that calls close() delivers everything acknowledged, then exits 0', async () => {
    const receiver = await new Receiver().start();
    cleanup.push(() => receiver.stop());
    receiver.behave = () => (Math.random() < 0.5 ? { status: 503 } : 'accept');
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-signal-'));
    cleanup.push(() => fs.rmSync(spoolDir, { recursive: true, force: true }));

    const proc = run({ SPOOL_DIR: spoolDir, INGEST_URL: receiver.url(), COUNT: '100000', MODE: 'signal' });
    await proc.whenAcked(1000);
    proc.proc.kill('SIGTERM');
    const { code, stderr } = await proc.exit;
    expect(code, stderr).toBe(0);
    expect(proc.acked.filter((id) => !receiver.accepted.has(id))).toEqual([]);
    expect(fs.readdirSync(spoolDir).filter((n) => n.startsWith('seg-'))).toEqual([]);
  });
});
