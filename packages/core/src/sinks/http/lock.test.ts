import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturesDir, packageDir } from '../../../test/paths.js';

/**
 * Twenty real processes open the same spool at once, over a lock left by a process that died:
 * exactly one may own it. Children run the built library (dist/), as `npm test` builds first.
 */
const child = path.join(fixturesDir, 'spool-lock-child.mjs');
const STARTS = 20;

const procs: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A pid that no process has now: one that ran and exited. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(done.stdout);
}

interface Racer {
  readonly proc: ChildProcess;
  readonly ready: Promise<void>;
  readonly answer: Promise<string>;
  readonly exit: Promise<void>;
}

function racer(spoolDir: string): Racer {
  const proc = spawn(process.execPath, [child], { cwd: packageDir, env: { ...process.env, SPOOL_DIR: spoolDir }, stdio: ['pipe', 'pipe', 'inherit'] });
  procs.push(proc);
  const lines: string[] = [];
  const waiters: { n: number; resolve: (line: string) => void }[] = [];
  let partial = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) (lines.length >= w.n ? w.resolve(lines[w.n - 1]!) : waiters.push(w));
  });
  const line = (n: number) => new Promise<string>((resolve) => (lines.length >= n ? resolve(lines[n - 1]!) : waiters.push({ n, resolve })));
  return {
    proc,
    ready: line(1).then(() => undefined),
    answer: line(2),
    exit: new Promise((resolve) => proc.on('close', () => resolve())),
  };
}

describe('spool lock', { timeout: 120_000 }, () => {
  it(`${STARTS} processes starting at once over a stale lock: exactly one owner, every time`, async () => {
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-lock-'));
    dirs.push(spoolDir);
    // The lock of a process that died (the format before lock generations, too).
    fs.writeFileSync(path.join(spoolDir, 'lock'), `${deadPid()}\n`);
    for (let round = 0; round < 3; round++) {
      const racers = Array.from({ length: STARTS }, () => racer(spoolDir));
      await Promise.all(racers.map((r) => r.ready));
      for (const r of racers) r.proc.stdin!.write('go\n');
      const answers = await Promise.all(racers.map((r) => r.answer));
      expect(answers.filter((a) => a === 'owner'), `round ${round}: ${answers.join(' ')}`).toHaveLength(1);
      expect(answers.filter((a) => a !== 'owner').every((a) => a === 'SPOOL_LOCKED')).toBe(true);
      // Everyone exits without closing: the owner's lock is stale for the next round.
      for (const r of racers) r.proc.stdin!.end();
      await Promise.all(racers.map((r) => r.exit));
    }
  });
});
