import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintStream, memorySink, simulate, type LintProblem } from '../index.js';
import { duplicateKeys, mayHaveDuplicateKeys } from './duplicate-keys.js';

describe('duplicate keys', () => {
  it.each([
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['/a']],
    ['{"token":"realsecret","token":"[REDACTED]"}', ['/token']],
    ['{"x":{"token":"s","y":[1,{"k":1,"k":2}],"token":"t"}}', ['/x/y/1/k', '/x/token']],
    ['{"a":1,"\\u0061":2}', ['/a']],
    ['{"a\\"b":1,"a\\"b":2}', ['/a"b']],
    ['{"s":"a\\\\","s":"b"}', ['/s']],
    ['{"a/b":1,"a/b":2,"c~":{"d":1,"d":1}}', ['/a~1b', '/c~0/d']],
    ['[{"a":1},{"a":1}]', []],
    ['{ "a" : 1 , "a" : 2 }', ['/a']],
    ['{"a":"\\"a\\":1","b":{"a":1}}', []],
    // A raw lone surrogate is one character; JSON.stringify writes it as six (\ud800): a length
    // counted from JSON.stringify would balance the repeated "":0, exactly.
    ['{"":0,"":"\ud800"}', ['/']],
  ])('%s → %j', (text, expected) => {
    expect(duplicateKeys(text)).toEqual(expected);
    // The cheap test never rules out a text that repeats a key.
    if (expected.length > 0) expect(mayHaveDuplicateKeys(text, JSON.parse(text))).toBe(true);
  });

  it('the cheap test lets the emitter\'s lines through, and is never fooled by white space or quotes in strings', () => {
    expect(mayHaveDuplicateKeys('{"a":1,"b":{"c":[{"d":2}]}}', { a: 1, b: { c: [{ d: 2 }] } })).toBe(false);
    for (const text of ['{"token" :"real","token":"[REDACTED]"}', '{"a":"x\\":","a":1}', '{"a":"\\":","b":1,"b":2}', '{\n"a"\n:1,"a":2}']) {
      expect(mayHaveDuplicateKeys(text, JSON.parse(text)), text).toBe(true);
      expect(duplicateKeys(text).length, text).toBeGreaterThan(0);
    }
  });

  it('finds none in any JSON.stringify output, and finds a key written twice anywhere', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value);
        if (duplicateKeys(text).length !== 0) throw new Error(`found duplicates in ${text}`);
        for (const t of [text, JSON.stringify(value, null, 2)]) {
          if (mayHaveDuplicateKeys(t, value) && duplicateKeys(t).length !== 0) throw new Error(`found duplicates in ${t}`);
        }
        // Write the first key of the first object twice.
        const m = /\{("(?:[^"\\]|\\.)*"):/.exec(text);
        if (m) {
          const doubled = `${text.slice(0, m.index)}{${m[1]}:null,${text.slice(m.index + 1)}`;
          if (duplicateKeys(doubled).length !== 1) throw new Error(`missed the duplicate in ${doubled}`);
          if (!mayHaveDuplicateKeys(doubled, JSON.parse(doubled))) throw new Error(`the cheap test ruled out ${doubled}`);
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('the length test is not fooled by numbers written shorter than JSON.stringify writes them', () => {
    // Each 1e5 is 3 characters shorter than 100000: two of them would balance a repeated "a":0, if they were counted.
    for (const text of [
      '{"n":[1e5,1e5],"a":0,"a":0}',
      '{"a":0,"a":1E5,"b":[1e5,1e5]}',
      '{"n":10e1,"x":5e2,"a":0,"a":0,"m":2e3,"k":1e21}',
      '{"a":0.5e1,"a":50e-1}',
      '{"z":-0,"a":1,"a":1}',
      '[{"a":1,"a":1},100000000000,1e11]',
    ]) {
      expect(mayHaveDuplicateKeys(text, JSON.parse(text)), text).toBe(true);
      expect(duplicateKeys(text).length, text).toBeGreaterThan(0);
    }
    // The emitter's lines (compact, no escape) pass on length alone; so does deep nesting, by the colon test.
    expect(mayHaveDuplicateKeys('{"a":-999,"b":[true,false,null,"x"],"c":{}}', JSON.parse('{"a":-999,"b":[true,false,null,"x"],"c":{}}'))).toBe(false);
    const deep = `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`;
    expect(mayHaveDuplicateKeys(deep, JSON.parse(deep))).toBe(false);
  });

  it('never rules out a compact text that repeats a key, whatever its numbers', () => {
    const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e5, 100000, 1e21, -0, 0.1, 1000, 999, -999, -1000));
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, number, fc.string(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 4 })),
    })).v;
    /** A number in exponent form where that is shorter (1e5 for 100000). */
    const shortest = (n: number) => {
      const plain = JSON.stringify(n);
      const exp = n.toExponential().replace('e+', 'e');
      return exp.length < plain.length && Number(exp) === n ? exp : plain;
    };
    /** Compact JSON with the shortest numbers, and the first key of the `nth` object written twice (first with 0). */
    const write = (v: unknown, at: { nth: number }): string => {
      if (typeof v === 'number') return shortest(v);
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      if (Array.isArray(v)) return `[${v.map((x) => write(x, at)).join(',')}]`;
      const entries = Object.entries(v);
      const members = entries.map(([k, x]) => `${JSON.stringify(k)}:${write(x, at)}`);
      if (entries.length > 0 && at.nth-- === 0) members.unshift(`${JSON.stringify(entries[0]![0])}:0`);
      return `{${members.join(',')}}`;
    };
    let repeated = 0;
    fc.assert(
      fc.property(value, fc.nat({ max: 6 }), (v, nth) => {
        const text = write({ v }, { nth });
        if (duplicateKeys(text).length === 0) return;
        repeated++;
        if (!mayHaveDuplicateKeys(text, JSON.parse(text))) throw new Error(`the cheap test ruled out ${text}`);
      }),
      { numRuns: 3000, seed: 12 },
    );
    expect(repeated).toBeGreaterThan(400);
  });

  it('never rules out a text that repeats a key, whatever its escapes (an escape is longer than the character it stands for)', () => {
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.integer({ min: -999, max: 999 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 3 }), tie('v'), { maxKeys: 4 })),
    })).v;
    /** A string as JSON, with each character that JSON.stringify leaves as it is escaped (\uXXXX, or \/ for a slash) where `escape` says so. */
    const str = (s: string, escape: () => boolean) =>
      JSON.stringify(s).replace(/[^"\\]|\\(?:u[0-9a-f]{4}|.)/g, (c) => (c.length > 1 || !escape() ? c : c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    const write = (v: unknown, at: { nth: number }, escape: () => boolean): string => {
      if (typeof v === 'string') return str(v, escape);
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      if (Array.isArray(v)) return `[${v.map((x) => write(x, at, escape)).join(',')}]`;
      const entries = Object.entries(v);
      const members = entries.map(([k, x]) => `${str(k, escape)}:${write(x, at, escape)}`);
      if (entries.length > 0 && at.nth-- === 0) members.unshift(`${str(entries[0]![0], escape)}:0`);
      return `{${members.join(',')}}`;
    };
    let repeated = 0;
    let escaped = 0;
    fc.assert(
      fc.property(value, fc.nat({ max: 6 }), fc.infiniteStream(fc.boolean()), (v, nth, coins) => {
        const it = coins[Symbol.iterator]();
        const text = write({ v }, { nth }, () => it.next().value as boolean);
        const parsed: unknown = JSON.parse(text);
        const keys = duplicateKeys(text);
        if (text.includes('\\')) escaped++;
        if (keys.length === 0) {
          // The same value written without a repeat and without an escape passes on length.
          if (mayHaveDuplicateKeys(JSON.stringify(parsed), parsed) && !JSON.stringify(parsed).includes('\\')) throw new Error(`the cheap test rejected ${JSON.stringify(parsed)}`);
          return;
        }
        repeated++;
        if (!mayHaveDuplicateKeys(text, parsed)) throw new Error(`the cheap test ruled out ${text}`);
      }),
      { numRuns: 3000, seed: 13 },
    );
    expect(repeated).toBeGreaterThan(400);
    expect(escaped).toBeGreaterThan(1000);
  });

  it('lint reports a member written twice with the same value in any object of a valid event (which the fast check measures)', async () => {
    const sink = memorySink();
    await simulate({ count: 40, sink, seed: 'dup-measured', start: new Date('2025-01-01T00:00:00Z') });
    const lines = sink.lines() as string[];
    const good = lines.find((l) => l.includes('"requestData"'))!;
    // Every string member, at every depth (its object's pointer from the keys before it does not matter: the line must fail).
    const members = [...good.matchAll(/"([A-Za-z]+)":"(?:[^"\\]|\\.)*"/g)];
    expect(members.length).toBeGreaterThan(10);
    const doubled = members.map((m) => `${good.slice(0, m.index! + m[0].length)},${m[0]}${good.slice(m.index! + m[0].length)}`);
    const problems: LintProblem[] = [];
    const input = (async function* () {
      yield `${good}\n${doubled.join('\n')}\n`;
    })();
    const summary = await lintStream(input, (p) => problems.push(p));
    expect(summary).toMatchObject({ events: doubled.length + 1, valid: 1, invalid: doubled.length });
    const flagged = new Set(problems.filter((p) => /duplicate key/.test(p.message)).map((p) => p.line));
    expect(flagged.size).toBe(doubled.length);
  });

  it('lint reports them, so that a secret cannot hide behind its redacted twin', async () => {
    const sink = memorySink();
    await simulate({ count: 2, sink, seed: 'dup', start: new Date('2025-01-01T00:00:00Z') });
    const [good] = sink.lines() as [string];
    const hidden = good.replace(/}$/, ',"requestData":{"token":"realsecret","token":"[REDACTED]"}}');
    const problems: LintProblem[] = [];
    const input = (async function* () {
      yield `${good}\n${hidden}\n`;
    })();
    const summary = await lintStream(input, (p) => problems.push(p));
    expect(summary).toMatchObject({ events: 2, valid: 1, invalid: 1 });
    expect(problems).toContainEqual({ line: 2, path: '/requestData/token', message: expect.stringMatching(/duplicate key/) });
  });
});
