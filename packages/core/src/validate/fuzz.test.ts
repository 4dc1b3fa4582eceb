import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintStream, memorySink, simulate, validateEvent, type LintProblem, type LintSummary } from '../index.js';

/**
 * Property-based hardening of the validator and the linter: random and mutated input (random
 * JSON, valid events with keys deleted, values of the wrong type, huge strings, deep nesting;
 * random bytes; NDJSON with damaged lines, bad UTF-8, CRLF, BOMs, cut-short tails) never makes
 * them throw; every problem has a message, and a line number within the input; and the linter's
 * result does not depend on how the input is split into chunks. Run counts keep the file at a
 * few seconds; REGTRAIL_FUZZ_SCALE=20 runs twenty times as many cases (for a deliberate hunt).
 */
const fuzzScale = Math.max(1, Number(process.env.REGTRAIL_FUZZ_SCALE) || 1);
const runs = (n: number) => ({ numRuns: n * fuzzScale });

let samples: string[] = [];
beforeAll(async () => {
  const sink = memorySink();
  await simulate({ count: 200, seed: 'fuzz', sink, start: new Date('2024-05-01T00:00:00Z') });
  samples = sink.lines();
});

// --- validateEvent -------------------------------------------------------------------------------

/** Plain checks: expect() is too slow to call thousands of times. */
function checkResult(value: unknown): void {
  let result;
  try {
    result = validateEvent(value);
  } catch (err) {
    throw new Error(`validateEvent threw ${String((err as Error)?.message)}`, { cause: err });
  }
  if (typeof result.ok !== 'boolean' || !Array.isArray(result.problems)) throw new Error('odd result');
  if (result.ok !== (result.problems.length === 0)) throw new Error('ok disagrees with problems');
  for (const p of result.problems) {
    if (typeof p.message !== 'string' || !p.message.trim()) throw new Error(`a problem without a message at ${p.path}`);
    if (typeof p.path !== 'string' || (p.path !== '' && !p.path.startsWith('/'))) throw new Error(`odd path ${String(p.path)}`);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (list of keys) of objects and arrays in a value, down to a depth of 8 (what a mutation nested). */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value !== null && typeof value === 'object' && prefix.length < 8) {
    for (const [k, v] of Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)) {
      out.push([...prefix, k]);
      paths(v as Json, [...prefix, k], out);
    }
  }
  return out;
}

function deep(depth: number, leaf: Json, asArray: boolean): Json {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, '', 0, -1, 1e308, true, [], {}, '[REDACTED]', 'crn:v1:bluemix:public:container-registry:us-south:a/x:::', '2025-02-30T00:00:00.00+0000'),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean()).map(([d, a]) => deep(d, 'deep', a)),
);

type Mutation = { kind: 'delete' | 'set'; pick: number; value: Json } | { kind: 'secret'; pick: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(), value: fc.constant(null) }),
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: replacement }),
  fc.record({ kind: fc.constant('secret' as const), pick: fc.nat() }),
);

function mutate(event: Json, mutations: Mutation[]): Json {
  for (const m of mutations) {
    const all = paths(event);
    if (!all.length) return event;
    const at = all[m.pick % all.length]!;
    let parent: any = event;
    for (const k of at.slice(0, -1)) parent = parent[k];
    const key = at.at(-1)!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.kind === 'set') parent[key] = m.value;
    else if (!Array.isArray(parent)) parent.password = 'hunter2';
  }
  return event;
}

describe('validateEvent under random input', () => {
  it('random JSON values and odd JavaScript values: a result, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withDate: true, withTypedArray: true, withSparseArray: true })), (v) => checkResult(v)),
      runs(300),
    );
  });

  it('valid events with random mutations (deleted keys, wrong types, huge strings, deep nesting, secrets)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, mutations) => {
        const line = samples[pick % samples.length]!;
        const event = mutate(JSON.parse(line) as Json, mutations);
        checkResult(event);
        // What the linter sees: the same event as a line of text.
        let text: string | undefined;
        try {
          text = JSON.stringify(event);
        } catch {
          text = undefined; // too deep for JSON.stringify; the object was checked above
        }
        if (text !== undefined) checkResult(JSON.parse(text));
      }),
      runs(150),
    );
  });

  it('the unmutated samples are valid', () => {
    for (const line of samples) expect(validateEvent(JSON.parse(line)).problems).toEqual([]);
  });
});

// --- lintStream ----------------------------------------------------------------------------------

async function lint(chunks: (Uint8Array | string)[], options: Parameters<typeof lintStream>[2] = {}): Promise<{ summary: LintSummary; problems: LintProblem[] }> {
  const problems: LintProblem[] = [];
  async function* gen() {
    yield* chunks;
  }
  const summary = await lintStream(gen(), (p) => problems.push(p), options);
  return { summary, problems };
}

function lineCount(bytes: Uint8Array): number {
  let n = 1;
  for (const b of bytes) if (b === 10) n++;
  return n;
}

/** Splits bytes at the given (sorted, deduplicated) cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length ? c % (bytes.length + 1) : 0)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

async function checkLint(bytes: Uint8Array, cuts: number[], options: { maxLineBytes?: number; maxEventBytes?: number } = {}): Promise<void> {
  const whole = await lint([bytes], options);
  const lines = lineCount(bytes);
  for (const p of whole.problems) {
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > lines) throw new Error(`line ${p.line} outside 1..${lines}: ${p.message}`);
    if (typeof p.message !== 'string' || !p.message.trim()) throw new Error(`a problem without a message on line ${p.line}`);
  }
  const s = whole.summary;
  if (s.valid + s.invalid < s.events || s.bytes !== bytes.length) throw new Error(`odd summary ${JSON.stringify(s)}`);
  const pieces = await lint(split(bytes, cuts), options);
  // The same problems, in the same order, and the same counts, however the input is cut.
  expect(pieces).toEqual(whole);
  const bytewise = bytes.length <= 4096 ? await lint(split(bytes, Array.from({ length: bytes.length }, (_, i) => i)), options) : pieces;
  expect(bytewise).toEqual(whole);
}

type LineDamage =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: readonly number[] }
  | { kind: 'cr' }
  | { kind: 'bom' }
  | { kind: 'pad'; n: number };

const damage: fc.Arbitrary<LineDamage> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    // Bad UTF-8 (lone continuation, cut sequence, overlong, surrogate, 0xFF), line breaks, quotes, brackets.
    bytes: fc.constantFrom([0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0x0a], [0x0d, 0x0a], [0x22], [0x5b], [0x7d], [0xef, 0xbb, 0xbf], [0xe4, 0xb8, 0xad]),
  }),
  fc.record({ kind: fc.constant('cr' as const) }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({ kind: fc.constant('pad' as const), n: fc.integer({ min: 1, max: 3000 }) }),
);

function damageLine(line: Buffer, d: LineDamage): Buffer {
  const at = (n: number) => n % (line.length + 1);
  switch (d.kind) {
    case 'flip': {
      if (!line.length) return line;
      const out = Buffer.from(line);
      out[d.at % line.length] = d.byte;
      return out;
    }
    case 'cut':
      return line.subarray(0, at(d.at));
    case 'insert':
      return Buffer.concat([line.subarray(0, at(d.at)), Buffer.from(d.bytes), line.subarray(at(d.at))]);
    case 'cr':
      return Buffer.concat([line, Buffer.from('\r')]);
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), line]);
    case 'pad':
      return Buffer.concat([line.subarray(0, -1), Buffer.from(`,"pad":"${'p'.repeat(d.n)}"}`)]);
  }
}

/** NDJSON (or a JSON array) made from sample events, some lines damaged, with or without a final line break. */
const corpus = fc
  .record({
    lines: fc.array(fc.tuple(fc.nat(), fc.array(damage, { maxLength: 2 })), { minLength: 0, maxLength: 12 }),
    separator: fc.constantFrom('\n', '\r\n'),
    blank: fc.nat({ max: 3 }),
    finalBreak: fc.boolean(),
    asArray: fc.boolean(),
  })
  .map(({ lines, separator, blank, finalBreak, asArray }) => {
    const made = lines.map(([pick, damages]) => damages.reduce<Buffer>((l, d) => damageLine(l, d), Buffer.from(samples[pick % samples.length]!)));
    const sep = Buffer.from(separator);
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
  });

const cutsArb = fc.array(fc.nat(), { maxLength: 8 });
const limitsArb = fc.record({ maxLineBytes: fc.integer({ min: 64, max: 4000 }), maxEventBytes: fc.integer({ min: 64, max: 4000 }) }, { requiredKeys: [] });

describe('lintStream under random input', () => {
  it('random bytes: problems on lines within the input, the same however the input is chunked', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), cutsArb, async (bytes, cuts) => checkLint(bytes, cuts)), runs(100));
  });

  it('random text around JSON punctuation', async () => {
    const text = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', '"', '\\', ':', ' ', '\n', '\r\n', '1', 'a', 'null', '\uFEFF', 'é', '中', '\u2028'), maxLength: 200 });
    await fc.assert(fc.asyncProperty(text, cutsArb, async (t, cuts) => checkLint(new Uint8Array(Buffer.from(t)), cuts)), runs(150));
  });

  it('NDJSON and arrays of sample events with damaged lines, with random limits', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, cutsArb, limitsArb, async (bytes, cuts, limits) => {
        await checkLint(bytes, cuts, limits);
      }),
      runs(80),
    );
  });

  it('undamaged samples are all valid, whatever the separator and a BOM', async () => {
    const text = `\uFEFF${samples.join('\r\n')}`;
    const { summary, problems } = await lint([text]);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ events: samples.length, valid: samples.length, invalid: 0 });
  });
});
