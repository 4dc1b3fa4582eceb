import { describe, expect, it } from 'vitest';
import { lintStream, type LintProblem } from '../index.js';
import { DECODE_PIECE } from './lint.js';
import { goodLines, mixedFile, spacedJson } from '../../test/lint-fixture.js';

async function* chunks(text: string, size: number) {
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('lintStream', () => {
  it('reports problems with the line they are on, whatever the chunk size', async () => {
    const { text, expected } = mixedFile();
    for (const size of [1, 7, 64, 1 << 20]) {
      const problems: LintProblem[] = [];
      const summary = await lintStream(chunks(text, size), (p) => problems.push(p));
      expect(summary).toMatchObject({ format: 'ndjson', events: 8, invalid: 5, valid: 3 });
      for (const [line, p, message] of expected) {
        const hit = problems.find((x) => x.line === line && (x.path || '(event)') === p);
        expect(hit, `line ${line} ${p} in ${JSON.stringify(problems)}`).toBeDefined();
        expect(hit!.message).toMatch(message);
      }
      expect(new Set(problems.map((x) => x.line))).toEqual(new Set([4, 5, 7, 8, 9]));
    }
  });

  it('reads a single JSON array, over many lines, with element line numbers', async () => {
    const [a, b] = goodLines(2) as [string, string];
    const pretty = JSON.stringify([JSON.parse(a), { ...JSON.parse(b), observer: { name: 'x' } }, 'nope', 7], null, 2);
    const starts = pretty.split('\n').flatMap((l, i) => (/^ {2}[^\s}\]]/.test(l) ? [i + 1] : []));
    for (const size of [3, 1 << 20]) {
      const problems: LintProblem[] = [];
      const summary = await lintStream(chunks(pretty, size), (p) => problems.push(p));
      expect(summary).toMatchObject({ format: 'array', events: 4, valid: 1, invalid: 3 });
      expect(problems.map((p) => p.line)).toEqual([starts[1], starts[2], starts[3]]);
      expect(problems[0]).toMatchObject({ path: '/observer/name' });
    }
  });

  it('reports a broken array instead of throwing', async () => {
    const problems: LintProblem[] = [];
    await lintStream(chunks('[\n{"a":1},\n{"b":', 4), (p) => problems.push(p));
    expect(problems.at(-1)).toMatchObject({ line: 3, message: expect.stringMatching(/ends in the middle/) });
    const more: LintProblem[] = [];
    await lintStream(chunks('[{"a":1}] x', 100), (p) => more.push(p));
    expect(more.at(-1)!.message).toMatch(/after the end of the JSON array/);
  });

  it('finds a member the model does not have in compact lines, after lines with white space and after an invalid one', async () => {
    const [a, b, c, d, e] = goodLines(5) as [string, string, string, string, string];
    const add = (line: string, at: (x: Record<string, any>) => Record<string, unknown>) => {
      const x = JSON.parse(line) as Record<string, any>;
      at(x).zz = 0;
      return JSON.stringify(x);
    };
    const spaced = (line: string) => spacedJson(JSON.parse(line));
    const lines = [
      a, // 1
      add(b, (x) => x.initiator.host), // 2
      spaced(c), // 3: valid, not compact
      add(d, (x) => x.target), // 4: compact again
      add(e, (x) => x), // 5
      spaced(add(a, (x) => x.reason)), // 6
      add(b, (x) => x.initiator.credential), // 7
      c, // 8
    ];
    const problems: LintProblem[] = [];
    const summary = await lintStream(chunks(lines.join('\n') + '\n', 1 << 20), (p) => problems.push(p));
    expect(summary).toMatchObject({ events: 8, valid: 3, invalid: 5 });
    expect(problems.map((p) => `${p.line} ${p.path}`)).toEqual(['2 /initiator/host/zz', '4 /target/zz', '5 /zz', '6 /reason/zz', '7 /initiator/credential/zz']);
  });

  it('an empty input is no events', async () => {
    expect(await lintStream(chunks('\n  \n', 10), () => {})).toMatchObject({ events: 0, format: 'empty' });
  });
});

// `regtrail lint` itself, run as a process, is tested in the regtrail (CLI) package, in its test/lint.test.ts.

describe('lintStream limits and damaged input', () => {
  const lintAll = async (input: Uint8Array | string, options: Parameters<typeof lintStream>[2] = {}, size = 5) => {
    const problems: LintProblem[] = [];
    const summary = await lintStream(chunks(typeof input === 'string' ? input : Buffer.from(input).toString('latin1'), size, typeof input !== 'string'), (p) => problems.push(p), options);
    return { summary, problems };
  };
  async function* chunks(text: string, size: number, latin1: boolean) {
    const buf = Buffer.from(text, latin1 ? 'latin1' : 'utf8');
    for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  }

  it('accepts CRLF line breaks and a byte order mark on line 1, split across chunks', async () => {
    const lines = goodLines(3);
    for (const size of [1, 2, 4, 1000]) {
      const { summary, problems } = await lintAll(`\uFEFF${lines.join('\r\n')}\r\n`, {}, size);
      expect(problems).toEqual([]);
      expect(summary).toMatchObject({ events: 3, valid: 3 });
    }
    // A byte order mark anywhere else is not JSON.
    const { problems } = await lintAll(`${lines[0]}\n\uFEFF${lines[1]}\n`);
    expect(problems).toMatchObject([{ line: 2, message: expect.stringMatching(/not valid JSON/) }]);
  });

  it('reports an over-long line with its line number and streams through it without keeping it', async () => {
    const [a, b] = goodLines(2) as [string, string];
    const chunk = 64 * 1024;
    const total = 64 * 1024 * 1024;
    async function* input() {
      yield Buffer.from(`${a}\n`);
      for (let sent = 0; sent < total; sent += chunk) yield Buffer.alloc(chunk, 0x61); // fresh buffers: keeping them would show
      yield Buffer.from(`\n${b}\n`);
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest.config.ts runs tests with --expose-gc').toBeTypeOf('function');
    gc!();
    const before = process.memoryUsage().arrayBuffers;
    const problems: LintProblem[] = [];
    let grown = 0;
    const summary = await lintStream(input(), (p) => problems.push(p), {
      maxLineBytes: 1024 * 1024,
      // Measured while lint is past the long line (at the next one) but still holds whatever it
      // kept of it. V8 frees the memory of dead buffers on a background thread after a
      // collection, so it is given a moment to catch up (a busy machine made it lag).
      onValid: async (_event, line) => {
        if (line !== 3) return;
        for (let i = 0; i < 5; i++) {
          gc!();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        grown = process.memoryUsage().arrayBuffers - before;
      },
    });
    expect(problems).toEqual([{ line: 2, path: '', message: `the line is ${total} bytes, longer than the limit of 1048576 bytes; skipped` }]);
    expect(summary).toMatchObject({ events: 3, valid: 2, invalid: 1 });
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });

  it('reports invalid UTF-8 with its line number', async () => {
    const [a, b] = goodLines(2) as [string, string];
    const bad = Buffer.concat([Buffer.from(`${a}\n{"x":"`), Buffer.from([0xc3, 0x28]), Buffer.from(`"}\n${b}\n`)]);
    const { summary, problems } = await lintAll(new Uint8Array(bad));
    expect(problems).toEqual([{ line: 2, path: '', message: 'not valid UTF-8' }]);
    expect(summary).toMatchObject({ events: 3, valid: 2, invalid: 1 });
    const array = Buffer.concat([Buffer.from(`[\n${a},\n{"x":"\xff"}\n]`, 'latin1')]);
    expect((await lintAll(new Uint8Array(array))).problems).toEqual([{ line: 3, path: '', message: 'not valid UTF-8' }]);
  });

  it('reports a cut-short last line as truncated; a complete one without a line break is fine', async () => {
    const [a, b] = goodLines(2) as [string, string];
    const cut = await lintAll(`${a}\n${b.slice(0, 50)}`);
    expect(cut.problems).toMatchObject([{ line: 2, message: expect.stringMatching(/^truncated: the last line has no line break at the end/) }]);
    expect((await lintAll(`${a}\n${b}`)).problems).toEqual([]);
    const array = await lintAll(`[${a},\n${b.slice(0, 50)}`);
    expect(array.problems).toMatchObject([{ line: 2, message: expect.stringMatching(/ends in the middle of this element \(truncated\)/) }]);
  });

  it('skips an event larger than maxEventBytes, in NDJSON and in an array', async () => {
    const [a, b] = goodLines(2) as [string, string];
    const big = JSON.stringify({ ...JSON.parse(b), requestData: { pad: 'x'.repeat(5000) } });
    const ndjson = await lintAll(`${a}\n${big}\n`, { maxEventBytes: 4096 }, 1000);
    expect(ndjson.problems).toEqual([{ line: 2, path: '', message: `the event is ${Buffer.byteLength(big)} bytes, larger than the limit of 4096 bytes; skipped` }]);
    const array = await lintAll(`[\n${a},\n${big}\n]\n`, { maxEventBytes: 4096 }, 1000);
    expect(array.problems).toEqual([{ ...ndjson.problems[0]!, line: 3 }]);
    expect(array.summary).toMatchObject({ events: 2, valid: 1, invalid: 1 });
  });
});

describe('lintStream decodes the whole lines of a chunk at once, with the same result as line by line', () => {
  /** Every kind of line the two ways of decoding must agree on, as bytes. */
  function damagedFile(notUtf8: boolean): Buffer {
    const [a, b, c] = goodLines(3) as [string, string, string];
    const wide = JSON.stringify({ ...JSON.parse(b), requestData: { note: 'é'.repeat(700) } }); // 1400 bytes of é: over maxEventBytes, but not 3 × its length
    const parts: (string | Buffer)[] = [
      `${a}\n`,
      '   \n', // blank
      '\u00a0\u2003\n', // blank to String#trim
      `${b}\r\n`, // CRLF
      '\r\n', // only CR
      // Not UTF-8 (a chunk with such a line is decoded line by line): a bad continuation byte, a UTF-16 surrogate written as UTF-8.
      notUtf8 ? Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]) : '{"x":"\u00c3("}\n',
      notUtf8 ? Buffer.from([0xed, 0xa0, 0x80, 0x0a]) : '\n',
      Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0x0a]), // a valid 4-byte character: not JSON
      `\uFEFF${c}\n`, // a byte order mark that is not on line 1
      `${wide}\n`,
      `${'x'.repeat(3000)}\n`, // longer than maxLineBytes
      `${'é'.repeat(1300)}\n`, // 2600 bytes: longer than maxLineBytes, but not 3 × its length
      `${c.replace(/}$/, ',"requestData":{"token":"realsecret","token":"[REDACTED]"}}')}\n`, // duplicate key
      `${a.slice(0, 40)}\n`, // not JSON
      `${a}\n`,
      c.slice(0, 30), // cut short, no line break
    ];
    return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  }

  it.each([false, true])('for every chunk size, damaged lines and limits included (lines that are not UTF-8: %s)', async (notUtf8) => {
    const file = damagedFile(notUtf8);
    const run = async (size: number) => {
      const problems: LintProblem[] = [];
      async function* chunks() {
        for (let i = 0; i < file.length; i += size) yield file.subarray(i, i + size);
      }
      const summary = await lintStream(chunks(), (p) => problems.push(p), { maxLineBytes: 2500, maxEventBytes: 2000 });
      return { summary, problems };
    };
    // One byte at a time, no chunk holds two line breaks: every line is decoded by itself.
    const lineByLine = await run(1);
    expect(lineByLine.summary).toMatchObject({ format: 'ndjson', events: notUtf8 ? 13 : 12, valid: 3, invalid: notUtf8 ? 10 : 9 });
    expect(new Set(lineByLine.problems.map((p) => p.line))).toEqual(new Set([...(notUtf8 ? [6, 7] : [6]), 8, 9, 10, 11, 12, 13, 14, 16]));
    if (notUtf8) expect(lineByLine.problems.filter((p) => p.message === 'not valid UTF-8').map((p) => p.line)).toEqual([6, 7]);
    for (const size of [2, 3, 7, 100, 1000, 4096, file.length]) expect(await run(size), `chunks of ${size} bytes`).toEqual(lineByLine);
  });

  it('in pieces of whole lines when a chunk is large, with a line break at, before and after the end of a piece', async () => {
    // lint decodes at most DECODE_PIECE bytes of whole lines into one string; the lines of a chunk
    // (after its first line) are laid out here so that a piece ends on each kind of line, and a line is longer than a piece.
    const [a, b] = goodLines(2) as [string, string];
    const spaces = (n: number) => ' '.repeat(n); // a blank line: skipped, but counted
    const layouts: { name: string; chunks: string[]; bad: number[]; events: number }[] = [];
    for (let k = -2; k <= 2; k++) {
      // Line 2 (the first of the chunk's whole lines) ends at byte DECODE_PIECE + k of them.
      layouts.push({ name: `empty line after a break at ${k}`, chunks: [[a, spaces(DECODE_PIECE + k), '', 'bad', b, ''].join('\n')], bad: [4], events: 3 });
      layouts.push({ name: `bad line after a break at ${k}`, chunks: [[a, spaces(DECODE_PIECE + k), 'bad', '', 'bad', b, ''].join('\n')], bad: [3, 5], events: 4 });
      layouts.push({ name: `two pieces and more, ${k}`, chunks: [[a, spaces(DECODE_PIECE + k), spaces(DECODE_PIECE - k), 'bad', spaces(DECODE_PIECE), b, 'bad', ''].join('\n')], bad: [4, 7], events: 4 });
      // The whole lines end with an empty line, right after the end of a piece; the next line comes in the next chunk.
      layouts.push({ name: `chunk ends in an empty line, ${k}`, chunks: [[a, spaces(DECODE_PIECE + k), '', ''].join('\n'), ['bad', b, ''].join('\n')], bad: [4], events: 3 });
    }
    layouts.push({ name: 'a line longer than a piece', chunks: [[a, `{"a":"${'x'.repeat(DECODE_PIECE + 100)}`, 'bad', b, ''].join('\n')], bad: [2, 3], events: 4 });
    layouts.push({ name: 'events filling several pieces', chunks: [[a, ...goodLines(300), 'bad', b, 'bad', ''].join('\n')], bad: [302, 304], events: 304 });
    const run = async (parts: Buffer[]) => {
      const problems: LintProblem[] = [];
      async function* input() {
        yield* parts;
      }
      const summary = await lintStream(input(), (p) => problems.push(p));
      return { summary, problems };
    };
    for (const { name, chunks, bad, events } of layouts) {
      const whole = await run(chunks.map((c) => Buffer.from(c)));
      expect(whole.problems.map((p) => p.line), name).toEqual(bad);
      expect(whole.summary, name).toMatchObject({ events, invalid: bad.length, valid: events - bad.length });
      // Small chunks: no chunk holds a piece's worth of lines.
      const text = Buffer.from(chunks.join(''));
      const small = await run(Array.from({ length: Math.ceil(text.length / 1000) }, (_, i) => text.subarray(i * 1000, i * 1000 + 1000)));
      expect(small, name).toEqual(whole);
    }
  });

  it('its check of UTF-8 (isUtf8, per chunk) agrees with the fatal TextDecoder lint used per line', async () => {
    const { isUtf8 } = await import('node:buffer');
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const fc = (await import('fast-check')).default;
    // Bytes biased towards the edges of UTF-8: lead bytes, continuation bytes, surrogates, overlongs.
    const edgy = fc.constantFrom(0x00, 0x41, 0x7f, 0x80, 0x8f, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff);
    fc.assert(
      fc.property(fc.array(fc.oneof(edgy, fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), (bytes) => {
        const buf = new Uint8Array(bytes);
        let decodes = true;
        try {
          decoder.decode(buf);
        } catch {
          decodes = false;
        }
        return isUtf8(buf) === decodes;
      }),
      { numRuns: 20000, seed: 12 },
    );
  });
});
