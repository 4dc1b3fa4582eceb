import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool, type SpoolPosition, type SpoolRecord } from './spool.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-spool-read-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const line = (n: number) => JSON.stringify({ id: `e-${n}`, pad: 'x'.repeat(n % 37) });

/** Reads until nothing more is there, in chunks of `maxBytes`. */
async function readAll(spool: Spool, from: SpoolPosition | undefined, maxBytes: number): Promise<{ records: SpoolRecord[]; position: SpoolPosition | undefined }> {
  const records: SpoolRecord[] = [];
  let position = from;
  for (;;) {
    const r = await spool.read(position, maxBytes);
    position = r.position;
    if (!r.records.length) return { records, position };
    records.push(...r.records);
  }
}

describe('Spool.read: the spool read back in order while appends go on', () => {
  it('reads what was recovered, then what is appended after open, across segments, skipping what is done', async () => {
    const dir = path.join(tmp, 'a');
    const first = (await Spool.open(dir, { segmentBytes: 200, ackIntervalMs: 10 })).spool;
    for (let n = 1; n <= 20; n++) await first.append(line(n));
    first.markDone([2, 3, 4]);
    await first.close();

    const { spool, recovered } = await Spool.open(dir, { segmentBytes: 200, ackIntervalMs: 10 });
    expect(recovered.map((r) => r.seq)).toEqual([1, ...Array.from({ length: 16 }, (_, i) => i + 5)]);
    // Tiny chunks: one line at a time at least, never a part of one.
    let { records, position } = await readAll(spool, undefined, 1);
    expect(records).toEqual(recovered);
    const oldSegments = spool.segmentFiles();
    expect(oldSegments.length).toBeGreaterThan(2);
    await Promise.all([21, 22, 23, 24, 25, 26, 27, 28].map((n) => spool.append(line(n))));
    spool.markDone(records.map((r) => r.seq));
    await spool.persist();
    // The segments read so far were all done and are gone; the reader goes on in the new ones.
    expect(spool.segmentFiles().filter((f) => oldSegments.includes(f))).toEqual([]);
    ({ records, position } = await readAll(spool, position, 100_000));
    expect(records.map((r) => [r.seq, r.json])).toEqual([21, 22, 23, 24, 25, 26, 27, 28].map((n) => [n, line(n)]));
    expect((await spool.read(position, 100_000)).records).toEqual([]);
    await spool.append(line(29));
    expect((await spool.read(position, 100_000)).records).toEqual([{ seq: 29, json: line(29) }]);
    await spool.close();
  });
});
