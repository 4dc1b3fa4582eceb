import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter, memorySink } from '@regtrail/core';
import { Receiver } from '../../core/test/receiver.js';
import { cliPath } from './paths.js';

/**
 * SIGTERM and SIGINT are the CLI's business (the library never touches signals): a command that
 * delivers closes its sink on the first signal, then exits 0, or 1 when events stay in the spool;
 * the same signal again kills at once.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-signals-'));
const DOWN = 'http://127.0.0.1:9/{location}/v1/events';

function start(args: string[]) {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  const exit = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, stderr, stdout }));
  return { child, exit, stderr: () => stderr };
}

async function until(what: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function lines(n: number, prefix: string): string {
  const emitter = createEmitter({ accountId: 'acct', region: 'eu-de', sink: memorySink(), clock: () => Date.UTC(2025, 2, 3, 4, 5, 6, 780) });
  return Array.from({ length: n }, (_, i) => {
    const e = emitter.build('namespace.create', { initiator: { id: 'IBMid-9' }, target: { type: 'namespace', name: `ns-${i}` } });
    return `${JSON.stringify({ ...e, id: `${prefix}-${i}` })}\n`;
  }).join('');
}

const segments = (spool: string) => (fs.existsSync(spool) ? fs.readdirSync(spool).filter((f) => f.startsWith('seg-')) : []);

describe('signals (built CLI)', () => {
  const receiver = new Receiver();
  beforeAll(async () => void (await receiver.start()));
  afterAll(() => receiver.stop());

  it('SIGTERM during simulate --sink: delivers what was accepted, says so, exits 0', async () => {
    const run = start(['simulate', '--count', '1000000', '--seed', 'sig', '--sink', receiver.url()]);
    await until(() => receiver.requests.length >= 2);
    run.child.kill('SIGTERM');
    const { code, stderr } = await run.exit;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^\nregtrail: warning: SIGTERM: delivering what is pending, then exiting; what is not delivered stays in the spool \S+ \(run again with --spool \S+\)\n/);
    expect(receiver.uniqueIds).toBeGreaterThan(0);
    expect(receiver.duplicates).toBe(0);
  });

  it('SIGINT while the endpoint is down: waits --timeout, keeps the events in the spool, exits 1', async () => {
    const spool = path.join(dir, 'down');
    const run = start(['send', '-', '--sink', DOWN, '--spool', spool, '--timeout', '1']);
    run.child.stdin.write(lines(20, 'down')); // standard input stays open: send is still reading
    await until(() => segments(spool).length > 0);
    run.child.kill('SIGINT');
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toContain(`regtrail: warning: SIGINT: delivering what is pending, then exiting; what is not delivered stays in the spool ${spool}`);
    expect(stderr).toMatch(/regtrail: error: SIGINT: 20 event\(s\) not delivered after 1000 ms; they stay in the spool/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(segments(spool).length).toBeGreaterThan(0);
  });

  it('the same signal twice kills at once', async () => {
    const spool = path.join(dir, 'twice');
    const run = start(['send', '-', '--sink', DOWN, '--spool', spool, '--timeout', '60']);
    run.child.stdin.write(lines(5, 'twice'));
    await until(() => segments(spool).length > 0);
    const t = Date.now();
    run.child.kill('SIGTERM');
    await until(() => run.stderr().includes('SIGTERM: delivering'));
    run.child.kill('SIGTERM');
    const { signal } = await run.exit;
    expect(signal).toBe('SIGTERM');
    expect(Date.now() - t).toBeLessThan(10_000);
  });
});
