import fc from 'fast-check';
import { describe, it } from 'vitest';
import { eventLocation, listRegions, parseImageReference, resolveRegion, RegtrailError } from '../index.js';

/**
 * Property-based hardening: random and mutated input never makes these functions throw anything
 * but a RegtrailError with a message. Run counts keep the whole file well under a second.
 */

function rejectsCleanly(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof RegtrailError)) throw new Error(`threw ${String((err as Error)?.name)}: ${String((err as Error)?.message)}`, { cause: err });
    // Plain checks: expect() is too slow to call thousands of times.
    if (!err.message.trim()) throw new Error('a RegtrailError without a message');
    if (!/^[A-Z_]+$/.test(err.code)) throw new Error(`odd error code ${err.code}`);
  }
}

const regionNames = listRegions().flatMap((r) => [r.id, r.formerName, r.domain, r.privateDomain, r.deprecatedDomain, r.crnLocation].filter((n): n is string => !!n));

/** Characters image references are made of, so that mutations land near valid input. */
const refChars = fc.constantFrom(...'abcz09./:@-_ABZ'.split(''), 'sha256:', '/', ':', '@', '..', '--', '__', 'é', ' ', '\u0000');

/** A string built from a valid one by a few edits: insertions, deletions, replacements. */
function mutated(base: fc.Arbitrary<string>, chars: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), chars), { maxLength: 4 })).map(([s, edits]) => {
    let out = s;
    for (const [at, del, ins] of edits) {
      const i = out.length ? at % (out.length + 1) : 0;
      out = out.slice(0, i) + ins + out.slice(i + del);
    }
    return out;
  });
}

const validReference = fc
  .tuple(
    fc.constantFrom('', 'us.icr.io/', 'jp2.icr.io/', 'localhost:5000/', 'registry.ng.bluemix.net/', '[::1]:5000/', 'Example.COM/'),
    // Without '.', so that a first component cannot pass for a domain (as in the grammar).
    fc.array(fc.stringMatching(/^[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*$/).filter((c) => c.length <= 60), { minLength: 1, maxLength: 3 }),
    fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/), { nil: undefined }),
    fc.option(fc.stringMatching(/^[a-f0-9]{64}$/), { nil: undefined }),
  )
  .map(([domain, path, tag, hex]) => `${domain}${path.join('/')}${tag ? `:${tag}` : ''}${hex ? `@sha256:${hex}` : ''}`);

const anything = fc.anything({ maxDepth: 2, maxKeys: 4, withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true });

describe('parseImageReference under random input', () => {
  it('accepts what it generates from the grammar', () => {
    fc.assert(
      fc.property(validReference, (ref) => {
        if (parseImageReference(ref).reference !== ref) throw new Error('reference not kept');
      }),
      { numRuns: 200 },
    );
  });

  it('mutated references parse or are rejected with a RegtrailError', () => {
    fc.assert(fc.property(mutated(validReference, refChars), (ref) => rejectsCleanly(() => parseImageReference(ref))), { numRuns: 1000 });
  });

  it('arbitrary strings and values are rejected with a RegtrailError', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 })), (s) => rejectsCleanly(() => parseImageReference(s))), { numRuns: 500 });
    fc.assert(fc.property(anything, (v) => rejectsCleanly(() => parseImageReference(v as string))), { numRuns: 300 });
  });
});

describe('resolveRegion and eventLocation under random input', () => {
  const nameLike = mutated(fc.constantFrom(...regionNames), fc.constantFrom('.', '-', '/', '/va', 'https://', 'A', 'x', '1', ' ', '\n'));
  const dates = fc.oneof(
    fc.date({ min: new Date('2017-01-01'), max: new Date('2030-12-31') }),
    fc.date(),
    fc.date({ noInvalidDate: false }),
    fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'nope' : d.toISOString().slice(0, 10))),
    mutated(fc.constant('2024-10-25'), fc.constantFrom('0', '9', '-', 'T', ' ')),
    anything,
  );

  it('resolveRegion finds a region or throws a RegtrailError', () => {
    fc.assert(fc.property(fc.oneof(nameLike, fc.string({ maxLength: 60 }), anything), (text) => rejectsCleanly(() => resolveRegion(text as string))), {
      numRuns: 1000,
    });
  });

  it('eventLocation answers or throws a RegtrailError, whatever the region and date', () => {
    fc.assert(
      fc.property(fc.oneof(nameLike, fc.constantFrom(...listRegions()), anything), dates, (region, asOf) =>
        rejectsCleanly(() => {
          const answer = eventLocation(region as string, { asOf: asOf as string });
          if (!/^[a-z]/.test(answer.eventLocation)) throw new Error(`odd location ${answer.eventLocation}`);
        }),
      ),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(anything, (options) => rejectsCleanly(() => eventLocation('us-south', options as never))), { numRuns: 200 });
  });
});
