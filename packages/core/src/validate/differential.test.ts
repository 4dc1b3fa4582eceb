import { beforeAll, describe, expect, it } from 'vitest';
import { findLeniency, formatLeniency, generateMutants, MUTATION_KINDS, publishedSchema, tally, validEvents, type Json, type Mutant } from '../../test/mutants.js';
import { validateEvent, type ValidateOptions } from '../index.js';
import { GENERATED_RULES } from './validate.js';
import { CLOSED_SETS } from './fields.js';

/**
 * Differential test of the validator against the published schema. validateEvent compiles an
 * internal schema without some of the published rules (minLength, additionalProperties, some
 * patterns) and checks those by hand; the rule is that it may be stricter than the published
 * schema (eventSchema(), compiled here by an ajv of its own), never more lenient. Thousands of
 * seeded mutants of valid events (test/mutants.ts) are checked: every one the schema rejects,
 * validateEvent must reject too. REGTRAIL_FUZZ_SCALE=20 runs twenty times as many.
 */
const fuzzScale = Math.max(1, Number(process.env.REGTRAIL_FUZZ_SCALE) || 1);
const MUTANTS = 8_000 * fuzzScale;
const SEED = 'differential-1';

let bases: Json[] = [];
let mutants: Mutant[] = [];
beforeAll(async () => {
  bases = await validEvents();
  mutants = generateMutants(bases, { count: MUTANTS, seed: SEED });
}, 30_000 * fuzzScale);

const accepts = (options?: ValidateOptions) => (event: unknown) => validateEvent(event, options).ok;

function expectNoLeniency(options?: ValidateOptions): void {
  const leniency = findLeniency(accepts(options), mutants);
  if (leniency) throw new Error(formatLeniency(leniency, validateEvent(leniency.mutant.event, options)));
}

describe('validateEvent is never more lenient than the published schema', () => {
  it('the unmutated events are valid by both', () => {
    expect(bases.length).toBeGreaterThan(400);
    const rejected = bases
      .map((event, i) => ({ i, schema: publishedSchema(event).errors, validator: validateEvent(event).problems }))
      .filter((r) => r.schema.length > 0 || r.validator.length > 0);
    expect(rejected).toEqual([]);
  });

  it(`every mutant the schema rejects, validateEvent rejects (${MUTANTS} mutants, default options)`, () => {
    expect(mutants.length).toBe(MUTANTS);
    expectNoLeniency();
  });

  it('… and with { lifecycle: false }', () => {
    expectNoLeniency({ lifecycle: false });
  });

  it('the schema rejects a good share of the mutants, of every kind (so that the test can fail)', () => {
    const counts = tally(mutants);
    const rejected = mutants.filter((m) => !publishedSchema(m.event).ok).length;
    const rows = MUTATION_KINDS.map((k) => {
      const c = counts[k];
      return `${k.padEnd(8)} ${String(c.mutants).padStart(6)} ${String(c.rejected).padStart(8)} ${String(c.alone).padStart(6)} ${String(c.aloneRejected).padStart(8)}`;
    });
    console.info(
      [
        `${mutants.length} mutants of ${bases.length} valid events (seed ${SEED}): ${rejected} rejected by the published schema (${((100 * rejected) / mutants.length).toFixed(1)} %)`,
        'kind     mutants rejected  alone rejected',
        ...rows,
      ].join('\n'),
    );
    expect(rejected / mutants.length).toBeGreaterThan(0.5);
    for (const k of MUTATION_KINDS) {
      // Every kind is applied alone often enough, and alone breaks the event often enough (some
      // mutations are harmless: a real date, a field added to requestData, a flipped saveServiceCopy…).
      expect(counts[k].alone, k).toBeGreaterThan(100 * fuzzScale);
      expect(counts[k].aloneRejected / counts[k].alone, k).toBeGreaterThan(0.3);
    }
  });

  it('a validator that accepts everything, or ignores one closed object, is caught', () => {
    const all = findLeniency(() => true, mutants);
    expect(all?.count).toBe(mutants.filter((m) => !publishedSchema(m.event).ok).length);
    // The validator with the problems of target.host dropped: what is wrong there is no longer seen.
    const blind = findLeniency((e) => validateEvent(e).problems.every((p) => p.path.startsWith('/target/host')), mutants);
    expect(blind, 'no mutant puts a wrong field into target.host').toBeDefined();
    expect(formatLeniency(blind!)).toMatch(/\/target\/host/);
  });
});

describe('the differential test catches a sabotaged generated rule', () => {
  // Each rule generated from the event model is taken out of the validator in turn (in place, then
  // put back): the differential test must then find a mutant that the published schema rejects
  // and the validator accepts.
  const caught = (sabotage: () => () => void): boolean => {
    const restore = sabotage();
    try {
      return findLeniency(accepts(), mutants) !== undefined;
    } finally {
      restore();
    }
  };

  it('the non-empty rule of target.name', () => {
    const rules = GENERATED_RULES.nonEmpty;
    const i = rules.findIndex((r) => r.pointer === '/target/name');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(caught(() => {
      const [removed] = rules.splice(i, 1);
      return () => rules.splice(i, 0, removed!);
    })).toBe(true);
    expect(findLeniency(accepts(), mutants)).toBeUndefined();
  });

  it('the pattern rule of target.id (CRN)', () => {
    const rule = GENERATED_RULES.patterns.find((r) => r.pointer === '/target/id')!;
    expect(caught(() => {
      const check = rule.check;
      rule.check = 0; // no check
      return () => void (rule.check = check);
    })).toBe(true);
  });

  it('the no-other-fields rule of target.host', () => {
    const i = CLOSED_SETS.findIndex((set) => set?.path === '/target/host');
    expect(i).toBeGreaterThan(0);
    expect(caught(() => {
      const saved = CLOSED_SETS[i];
      CLOSED_SETS[i] = undefined;
      return () => void (CLOSED_SETS[i] = saved);
    })).toBe(true);
  });
});
