import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-spool-unit-'));
  dirs.push(d);
  return d;
};

/** Lines of every shape a group commit meets: short, long, multi-byte, and one larger than the write block (1 MiB). */
function records(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const pad = 'x'.repeat((i * 7919) % 1500);
    const text = i % 5 === 0 ? `映像 ${i} 🚀` : `image ${i}`;
    out.push(JSON.stringify({ id: `e${i}`, text, pad }));
    if (i === 1234) out.push(JSON.stringify({ id: 'huge', pad: 'é'.repeat(700_000) }));
  }
  return out;
}

const segmentLines = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('seg-'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f)));

describe('spool appends', () => {
  it.each([
    ['one segment', 64 * 1024 * 1024],
    ['many small segments', 256 * 1024],
  ])('writes every line of one group commit as `<seq> <json>\\n`, in order, and gives them back after reopening (%s)', async (_, segmentBytes) => {
    const dir = tempDir();
    const lines = records();
    const opened = await Spool.open(dir, { segmentBytes, ackIntervalMs: 10 });
    // Appended together: they share group commits far larger than one write block.
    const seqs = await Promise.all(lines.map((l) => opened.spool.append(l)));
    expect(seqs).toEqual(lines.map((_, k) => seqs[0]! + k));
    await opened.spool.close();

    const files = segmentLines(dir);
    const whole = Buffer.concat(files).toString('utf8');
    expect(whole).toBe(lines.map((l, k) => `${seqs[k]} ${l}\n`).join(''));
    // A new segment starts once one holds segmentBytes: each is under it but for its last line.
    for (const f of files) {
      const last = f.subarray(0, -1).lastIndexOf(0x0a) + 1;
      expect(last).toBeLessThan(segmentBytes);
    }
    if (segmentBytes < 1024 * 1024) expect(files.length).toBeGreaterThan(5);

    const again = await Spool.open(dir, { segmentBytes, ackIntervalMs: 10 });
    expect(again.recovered.map((r) => r.json)).toEqual(lines);
    expect(again.recovered.map((r) => r.seq)).toEqual(seqs);
    expect(again.lost).toBe(0);
    await again.spool.close();
  });
});
