import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliPath } from './paths.js';

/**
 * The progress bar, on a real terminal: util-linux's `script` runs the built CLI on a
 * pseudo-terminal and hands back what the terminal received (standard error included).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-progress-'));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function onTerminal(args: string[]): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, cliPath, ...args].map(quote).join(' ');
  try {
    const { stdout } = await promisify(execFile)('script', ['-q', '-e', '-f', '-c', command, '/dev/null'], { maxBuffer: 64 << 20, env: { ...process.env, TERM: 'xterm' } });
    return { code: 0, screen: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, screen: e.stdout };
  }
}

interface Frame {
  filled: number;
  empty: number;
  percent: number;
  done: number;
  total: number;
}

/** Every state of the bar the terminal was shown: `\r[###...]  42% 12600/30000` and an erase to the end of the line. */
function frames(screen: string): Frame[] {
  return [...screen.matchAll(/\r\[(#*)(\.*)\] +(\d+)% (\d+)\/(\d+)\x1b\[K/g)].map((m) => ({
    filled: m[1]!.length,
    empty: m[2]!.length,
    percent: Number(m[3]),
    done: Number(m[4]),
    total: Number(m[5]),
  }));
}

describe('regtrail simulate on a terminal', () => {
  const COUNT = 30_000;

  it('draws a progress bar that only moves forward, ends at 100% and ends its line', async () => {
    const out = path.join(dir, 'bar.ndjson');
    const { code, screen } = await onTerminal(['simulate', '--count', String(COUNT), '--seed', 'bar', '--out', out]);
    expect(code).toBe(0);
    const shown = frames(screen);
    expect(shown.length, JSON.stringify(screen.slice(0, 300))).toBeGreaterThanOrEqual(2);
    for (const f of shown) {
      expect(f.total).toBe(COUNT);
      expect(f.filled + f.empty).toBe(30);
      expect(f.filled).toBe(Math.round((f.done / COUNT) * 30));
      expect(f.percent).toBe(Math.floor((f.done / COUNT) * 100));
    }
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.done).toBeGreaterThanOrEqual(shown[i - 1]!.done);
    expect(shown.at(-1)).toEqual({ filled: 30, empty: 0, percent: 100, done: COUNT, total: COUNT });
    // The last frame's line is ended, so that the shell prompt starts on a line of its own.
    expect(screen.slice(screen.lastIndexOf('\x1b[K') + 3)).toMatch(/^\r?\n/);
    // The events went to the file, whole; none reached the terminal.
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(COUNT);
    expect(screen).not.toContain('"action"');
  });

  it('draws nothing with --no-progress', async () => {
    const out = path.join(dir, 'quiet.ndjson');
    const { code, screen } = await onTerminal(['simulate', '--count', '2000', '--seed', 'quiet', '--out', out, '--no-progress']);
    expect(code).toBe(0);
    expect(frames(screen)).toEqual([]);
    expect(screen.trim()).toBe('');
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(2000);
  });
});
