import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySink, seededRandom, simulate, type Random } from '@regtrail/core/emit';
import { cliPath } from './paths.js';

/**
 * `regtrail lint` run as a process on random input: NDJSON (or a JSON array) of sample events with
 * damaged lines (bad UTF-8, line breaks, CRLF, BOMs, cut-short and over-long lines), and random
 * bytes. The inputs come from fixed seeds; REGTRAIL_FUZZ_SCALE=20 runs twenty times as many. The
 * property-based tests of lintStream itself are in @regtrail/core (src/validate/fuzz.test.ts).
 */
const fuzzScale = Math.max(1, Number(process.env.REGTRAIL_FUZZ_SCALE) || 1);

let samples: string[] = [];
beforeAll(async () => {
  const sink = memorySink();
  await simulate({ count: 200, seed: 'fuzz', sink, start: new Date('2024-05-01T00:00:00Z') });
  samples = sink.lines();
});

function lineCount(bytes: Uint8Array): number {
  let n = 1;
  for (const b of bytes) if (b === 10) n++;
  return n;
}

const nat = (r: Random) => r.int(2 ** 31);

/** Bad UTF-8 (lone continuation, cut sequence, overlong, surrogate, 0xFF), line breaks, quotes, brackets. */
const inserts = [[0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0x0a], [0x0d, 0x0a], [0x22], [0x5b], [0x7d], [0xef, 0xbb, 0xbf], [0xe4, 0xb8, 0xad]];

/** One random damage to a line: a flipped byte, a cut, inserted bytes, a CR or a BOM, or padding up to 3000 bytes. */
function damageLine(line: Buffer, r: Random): Buffer {
  const at = () => nat(r) % (line.length + 1);
  switch (r.int(6)) {
    case 0: {
      if (!line.length) return line;
      const out = Buffer.from(line);
      out[nat(r) % line.length] = r.int(256);
      return out;
    }
    case 1:
      return line.subarray(0, at());
    case 2: {
      const i = at();
      return Buffer.concat([line.subarray(0, i), Buffer.from(r.pick(inserts)), line.subarray(i)]);
    }
    case 3:
      return Buffer.concat([line, Buffer.from('\r')]);
    case 4:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), line]);
    default:
      return Buffer.concat([line.subarray(0, -1), Buffer.from(`,"pad":"${'p'.repeat(1 + r.int(3000))}"}`)]);
  }
}

/** NDJSON (or a JSON array) made from sample events, some lines damaged, with or without a final line break. */
function corpus(r: Random): Uint8Array {
  const made = Array.from({ length: r.int(13) }, () => {
    let line: Buffer = Buffer.from(samples[nat(r) % samples.length]!);
    for (let d = r.int(3); d > 0; d--) line = damageLine(line, r);
    return line;
  });
  const sep = Buffer.from(r.pick(['\n', '\r\n']));
  const blank = r.int(4);
  const finalBreak = r.next() < 0.5;
  const asArray = r.next() < 0.5;
  const parts: Buffer[] = [];
  if (asArray) parts.push(Buffer.from('['), sep);
  made.forEach((l, i) => {
    if (i === blank) parts.push(sep);
    parts.push(l);
    if (asArray && i < made.length - 1) parts.push(Buffer.from(','));
    if (i < made.length - 1 || finalBreak) parts.push(sep);
  });
  if (asArray) parts.push(Buffer.from(']'));
  return new Uint8Array(Buffer.concat(parts));
}

const randomBytes = (r: Random) => new Uint8Array(Array.from({ length: r.int(2001) }, () => r.int(256)));

describe('regtrail lint under random input (built CLI)', () => {
  it('exits 0 or 1 with one "line N: path: message" per problem and a summary, never a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-lint-fuzz-'));
    const texts = seededRandom('lint-fuzz-corpus');
    const noise = seededRandom('lint-fuzz-bytes');
    const inputs = [...Array.from({ length: 3 * fuzzScale }, () => corpus(texts)), ...Array.from({ length: 2 * fuzzScale }, () => randomBytes(noise))];
    await Promise.all(
      inputs.map(async (bytes, i) => {
        const file = path.join(dir, `in-${i}.ndjson`);
        fs.writeFileSync(file, bytes);
        const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, [cliPath, 'lint', file, '--max-line-bytes', '2000'], { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
          );
        });
        expect(stderr).toBe('');
        expect([0, 1]).toContain(code);
        const out = stdout.trimEnd().split('\n');
        const lines = lineCount(bytes);
        for (const l of out.slice(0, -1)) {
          const m = /^line (\d+): (\(event\)|\/\S*): (.+)$/.exec(l);
          expect(m, l).not.toBeNull();
          expect(Number(m![1])).toBeLessThanOrEqual(lines);
        }
        expect(out.at(-1)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ events?, \\d+ valid, \\d+ invalid, \\d+ problems?$`));
      }),
    );
  }, 30_000 * fuzzScale);
});
