import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentError, loadContent, RegtrailError } from '../index.js';
import { contentDir } from '../../test/paths.js';

/**
 * Property-based hardening of the content loader: a copy of content/ whose YAML and JSON files
 * are damaged at random (bytes flipped, files cut short, keys deleted, values of the wrong type)
 * either still loads or is rejected with a ContentError whose every problem names a file and
 * says what is wrong. Nothing else may be thrown. One scratch copy is reused: each run damages
 * one file and puts it back afterwards.
 */

const files = [
  ...fs.readdirSync(path.join(contentDir, 'catalog')).map((f) => `catalog/${f}`),
  // The language folders: loadContent reads those (not the term base beside them, nor their .sources/).
  ...fs
    .readdirSync(path.join(contentDir, 'locales'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap(({ name: lng }) => fs.readdirSync(path.join(contentDir, 'locales', lng)).map((f) => `locales/${lng}/${f}`)),
].filter((f) => /\.(ya?ml|json)$/.test(f));

/** REGTRAIL_FUZZ_SCALE=20 runs twenty times as many cases (for a deliberate hunt, not for CI). */
const fuzzScale = Math.max(1, Number(process.env.REGTRAIL_FUZZ_SCALE) || 1);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-fuzz-'));
  fs.cpSync(contentDir, dir, { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Mutation =
  | { kind: 'flip'; flips: [number, number][] }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-key'; pick: number }
  | { kind: 'wrong-type'; pick: number; value: unknown };

const wrongValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete-key' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('wrong-type' as const), pick: fc.nat(), value: wrongValue }),
);

/** Every [parent, key] in a parsed document, depth first. */
function slots(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), slots(v, out)));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) (out.push([value as Record<string, unknown>, k]), slots(v, out));
  return out;
}

function mutate(file: string, original: Buffer, m: Mutation): Buffer {
  if (m.kind === 'flip') {
    const out = Buffer.from(original);
    for (const [at, byte] of m.flips) out[at % out.length] = byte;
    return out;
  }
  if (m.kind === 'truncate') return original.subarray(0, m.at % original.length);
  const yaml = /\.ya?ml$/.test(file);
  const text = original.toString('utf8');
  const data: unknown = yaml ? parseYaml(text, { merge: true }) : JSON.parse(text);
  const all = slots(data);
  if (all.length) {
    const [parent, key] = all[m.pick % all.length]!;
    if (m.kind === 'delete-key') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (Array.isArray(parent)) parent[key as number] = m.value;
    else parent[key as string] = m.value;
  }
  return Buffer.from(yaml ? stringifyYaml(data) : JSON.stringify(data, null, 2));
}

function checkLoad(): void {
  try {
    loadContent(dir);
  } catch (err) {
    if (err instanceof ContentError) {
      if (!err.problems.length) throw new Error('a ContentError without problems');
      for (const p of err.problems) {
        if (typeof p.file !== 'string' || !p.file.trim()) throw new Error(`a problem without a file: ${JSON.stringify(p)}`);
        if (typeof p.message !== 'string' || !p.message.trim()) throw new Error(`a problem without a message: ${JSON.stringify(p)}`);
      }
      if (!err.message.trim()) throw new Error('a ContentError without a message');
      return;
    }
    if (err instanceof RegtrailError && err.message.trim()) return;
    throw new Error(`loadContent threw ${String((err as Error)?.name)}: ${String((err as Error)?.message)}`, { cause: err });
  }
}

describe('loadContent on damaged content', { timeout: 30_000 }, () => {
  it('loads the untouched copy', () => {
    expect(loadContent(dir).actions.length).toBeGreaterThan(0);
  });

  it('rejects every damaged copy with a ContentError that names the file, or loads it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: 2 }), (file, mutations) => {
        const target = path.join(dir, file);
        const original = fs.readFileSync(target);
        try {
          let damaged: Buffer = original;
          for (const m of mutations) {
            try {
              damaged = mutate(file, damaged, m);
            } catch {
              // A structural mutation needs a parseable file; after a byte flip it may not be.
            }
          }
          fs.writeFileSync(target, damaged);
          checkLoad();
        } finally {
          fs.writeFileSync(target, original);
        }
      }),
      { numRuns: 60 * fuzzScale },
    );
  });

  it('an alias whose anchor is gone is a problem with a line, not a ReferenceError (found by this test)', () => {
    const target = path.join(dir, 'catalog/regions.yaml');
    const original = fs.readFileSync(target, 'utf8');
    try {
      fs.writeFileSync(target, original.replace('locations: &logdna', 'locations: &logdnX'));
      let error: unknown;
      try {
        loadContent(dir);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ContentError);
      const [problem] = (error as ContentError).problems;
      expect(problem!.file).toMatch(/regions\.yaml$/);
      expect(problem!.message).toMatch(/alias/i);
      expect(problem!.line).toBe(original.slice(0, original.indexOf('*logdna')).split('\n').length);
    } finally {
      fs.writeFileSync(target, original);
    }
  });

  it('a missing file is a problem of that file', () => {
    for (const file of files) {
      const target = path.join(dir, file);
      const original = fs.readFileSync(target);
      fs.rmSync(target);
      try {
        let error: unknown;
        try {
          loadContent(dir);
        } catch (err) {
          error = err;
        }
        expect(error, file).toBeInstanceOf(ContentError);
        expect((error as ContentError).problems.some((p) => p.file.endsWith(file))).toBe(true);
      } finally {
        fs.writeFileSync(target, original);
      }
    }
  });
});
