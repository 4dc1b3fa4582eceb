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
