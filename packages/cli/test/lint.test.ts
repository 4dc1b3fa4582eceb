import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LintProblem } from '@regtrail/core/validate';
import { goodLines, mixedFile } from '../../core/test/lint-fixture.js';
import { cliPath } from './paths.js';

// `regtrail lint` run as a process; lintStream itself is tested in @regtrail/core (src/validate/lint.test.ts).

const run = async (args: string[], input?: string) => {
  const child = promisify(execFile)(process.execPath, [cliPath, ...args]);
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('regtrail lint (built CLI, as a process)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-lint-'));

  it('reports a mixed file with line numbers and exits 1', async () => {
    const { text, expected } = mixedFile();
    const file = path.join(dir, 'mixed.ndjson');
    fs.writeFileSync(file, text);
    const r = await run(['lint', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const [line, p, message] of expected) {
      const hit = lines.find((l) => l.startsWith(`line ${line}: ${p}: `));
      expect(hit, `line ${line} ${p} in\n${r.stdout}`).toBeDefined();
      expect(hit!).toMatch(message);
    }
    expect(lines.at(-1)).toBe(`${file}: 8 events, 3 valid, 5 invalid, ${lines.length - 1} problems`);
    const j = await run(['lint', file, '--json']);
    expect(j.code).toBe(1);
    const result = JSON.parse(j.stdout);
    expect(result).toMatchObject({ events: 8, valid: 3, invalid: 5, ok: false });
    expect(result.problems[0]).toMatchObject({ line: 4, path: '' });
    // The same problems as the text, and written as JSON.stringify would write the whole object.
    expect(result.problems.map((p: LintProblem) => `line ${p.line}: ${p.path || '(event)'}: ${p.message}`)).toEqual(lines.slice(0, -1));
    expect(j.stdout).toBe(`${JSON.stringify(result, null, 2)}\n`);
  });

  it('--json streams its problems: many of them come out whole, and none is fine too', async () => {
    const [good] = goodLines(1) as [string];
    const bad = JSON.stringify({ ...JSON.parse(good), severity: 'loud', colour: 'blue' });
    const file = path.join(dir, 'many.ndjson');
    fs.writeFileSync(file, `${Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? good : bad)).join('\n')}\n`);
    const r = await run(['lint', file, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(256 * 1024);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ file, events: 3000, valid: 1000, invalid: 2000, ok: false });
    expect(result.problems).toHaveLength(4000);
    expect(result.problems.at(-1).line).toBe(3000);
    expect(r.stdout).toBe(`${JSON.stringify(result, null, 2)}\n`);
    const clean = path.join(dir, 'clean-json.ndjson');
    fs.writeFileSync(clean, `${good}\n`);
    const c = await run(['lint', clean, '--json']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(`${JSON.stringify({ file: clean, problems: [], events: 1, valid: 1, invalid: 0, ok: true }, null, 2)}\n`);
  });

  it('exits 0 on a clean file, and reads standard input', async () => {
    const file = path.join(dir, 'clean.ndjson');
    fs.writeFileSync(file, `${goodLines(20).join('\n')}\n`);
    const r = await run(['lint', file]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${file}: 20 events, 20 valid, 0 invalid, 0 problems\n`);
    const s = await run(['lint', '-'], goodLines(2).join('\n'));
    expect(s.stdout).toBe('(stdin): 2 events, 2 valid, 0 invalid, 0 problems\n');
    expect(s.code).toBe(0);
  });

  it('a missing file is a usage error (2)', async () => {
    const r = await run(['lint', path.join(dir, 'nope.ndjson')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^regtrail: error: cannot read .*nope.ndjson: no such file\n$/);
  });

  it('--max-line-bytes reports and skips a long line; a bad limit is a usage error', async () => {
    const file = path.join(dir, 'long.ndjson');
    const [a] = goodLines(1) as [string];
    fs.writeFileSync(file, `${a}\r\n${'y'.repeat(3000)}\r\n${a}`);
    const r = await run(['lint', file, '--max-line-bytes', '2000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`line 2: (event): the line is 3001 bytes, longer than the limit of 2000 bytes; skipped\n${file}: 3 events, 2 valid, 1 invalid, 1 problem\n`);
    expect((await run(['lint', file, '--max-line-bytes', '0'])).code).toBe(2);
  });
});
