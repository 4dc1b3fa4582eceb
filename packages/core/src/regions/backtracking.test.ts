import { describe, expect, it } from 'vitest';
import { createEmitter, findRegion, memorySink, parseImageReference, resolveRegion, validateEvent, whereIs, type ActivityEvent } from '../index.js';

/**
 * Every regular expression that reads user input must take time linear in it: each function that
 * takes a string from a user is run on 100,000-character inputs built to make a backtracking
 * regular expression go quadratic or worse (long runs of the characters a pattern repeats, ending
 * in one that makes it fail). A linear check takes a few milliseconds; the bound is generous so
 * that a busy machine does not fail it, and a quadratic one (seconds) cannot pass.
 */
const N = 100_000;
const BOUND_MS = 1_000;

/** Inputs that defeat backtracking: a long run of one character, then something that makes the match fail. */
const adversarial = (run: string, prefix = '', end = 'x'): string => `${prefix}${run.repeat(Math.ceil(N / run.length))}${end}`;
const INPUTS: readonly string[] = [
  adversarial('/', 'a'),
  adversarial('/', 'us.icr.io'),
  adversarial(':', 'us.icr.io'),
  adversarial('a', 'us.icr.io/', '!'),
  adversarial('a-', 'us.icr.io/ns/'),
  adversarial('a.', 'a'),
  adversarial('-', 'us.icr.io/a'),
  adversarial('_', 'us.icr.io/a'),
  adversarial('a/', 'crn:v1:bluemix:public:container-registry:us-south:'),
  adversarial(' -failure', 'IBM Cloud Container Registry: push image x'),
  adversarial('0', 'us.icr.io:'),
  adversarial('a', 'us.icr.io/ns/app@sha256:'),
];

/** Each input is run up to three times and judged by its fastest run: a busy machine slows a run, a quadratic pattern slows them all. */
const RUNS = 3;

function timed(what: string, run: (input: string) => unknown): void {
  for (const input of INPUTS) {
    let ms = Number.POSITIVE_INFINITY;
    for (let r = 0; r < RUNS && ms >= BOUND_MS; r++) {
      const start = performance.now();
      try {
        run(input);
      } catch {
        // Rejecting the input is fine; taking long over it is not.
      }
      ms = Math.min(ms, performance.now() - start);
    }
    expect(ms, `${what} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 40))}… (${input.length} characters)`).toBeLessThan(BOUND_MS);
  }
}

describe('regular expressions on user input take linear time', () => {
  it('findRegion and resolveRegion', () => {
    timed('findRegion', findRegion);
    timed('resolveRegion', resolveRegion);
  });

  it('whereIs', () => timed('whereIs', (s) => whereIs(s)));

  it('parseImageReference', () => timed('parseImageReference', parseImageReference));

  it('createEmitter (its region) and emit (the image reference)', () => {
    timed('createEmitter', (s) => createEmitter({ accountId: 'a', region: s, sink: memorySink() }));
    const emitter = createEmitter({ accountId: 'a', region: 'us-south', sink: memorySink() });
    timed('emitter.build', (s) => emitter.build('image.push', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: s } }));
  });

  it('validateEvent (CRNs, message, names, times)', () => {
    const good = createEmitter({ accountId: 'a', region: 'us-south', sink: memorySink(), validate: false }).build('image.push', {
      initiator: { id: 'IBMid-1' },
      target: { type: 'image', reference: 'us.icr.io/ns/app:1' },
    });
    const copy = (): ActivityEvent => JSON.parse(JSON.stringify(good));
    timed('validateEvent target.id', (s) => validateEvent({ ...copy(), target: { ...good.target, id: s } }));
    timed('validateEvent logSourceCRN', (s) => validateEvent({ ...copy(), logSourceCRN: s }));
    timed('validateEvent message', (s) => validateEvent({ ...copy(), message: s }));
    timed('validateEvent target.name', (s) => validateEvent({ ...copy(), target: { ...good.target, name: s } }));
    timed('validateEvent eventTime', (s) => validateEvent({ ...copy(), eventTime: s }));
    timed('validateEvent action', (s) => validateEvent({ ...copy(), action: s }));
  });
});
