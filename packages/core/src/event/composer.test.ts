import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmitter, getAction, listActions, memorySink, RegtrailError, resolveRegion, validateEvent, type ActivityEvent, type EmitInput } from '../index.js';
import { EventComposer } from './build.js';

/**
 * The composer remembers callers, targets, endings and messages between events. Whatever the
 * order of events, each one must be what an emitter that has never seen anything builds, and its
 * line exactly JSON.stringify's; and neither the caller's later changes to its input nor a change
 * to an emitted event may reach another event.
 */
const ACCOUNT = 'acc-1';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
/** Other digests: each image comes with several (a new push moves its tag on), some malformed or of another algorithm. */
const DIGESTS = [DIGEST, `sha256:${'0c'.repeat(32)}`, `sha512:${'e1'.repeat(64)}`, `sha256:${'AB'.repeat(32)}`, 'sha256:abc', `md5:${'ab'.repeat(16)}`];
// A few actions (data and management, of every default severity), so that sequences repeat them.
const ACTIONS = ['image.pull', 'image.delete', 'namespace.create', 'namespace.list', 'quota.set'].map((id) => `container-registry.${id}`);
it('draws from actions the catalog lists', () => {
  const listed = new Set<string>(listActions({ asOf: '2025-06-01' }).map((a) => a.id));
  expect(ACTIONS.filter((id) => !listed.has(id))).toEqual([]);
});

/** Mostly absent, so that most events can be composed from what the composer remembers. */
const seldom = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });

const initiators = fc.record({
  id: fc.constantFrom('IBMid-1', 'iam-ServiceId-2', 'CertificateId-3'),
  name: seldom(fc.constantFrom('dev@example.com', 'a "quoted" name', '', '名前')),
  type: seldom(fc.constantFrom('user', 'serviceid') as fc.Arbitrary<'user' | 'serviceid'>),
  credential: seldom(fc.constantFrom('apikey', 'token') as fc.Arbitrary<'apikey' | 'token'>),
  ip: seldom(fc.constantFrom('203.0.113.7', '2001:db8::7', '')),
  addressType: seldom(fc.constantFrom('CSE', 'subnet') as fc.Arbitrary<'CSE' | 'subnet'>),
  agent: seldom(fc.constantFrom('docker/27', 'tab\there')),
  authnId: seldom(fc.constantFrom('iam-1', 'iam-2')),
  authnName: seldom(fc.constantFrom('authn')),
});

const targets = fc.oneof(
  fc.constant(undefined),
  fc.constant({ type: 'account' as const }),
  fc.record({ type: fc.constant('namespace' as const), name: fc.constantFrom('team-a', 'team-b'), resourceGroupId: seldom(fc.constantFrom('rg-1', 'rg-2')) }),
  fc.record({
    type: fc.constant('image' as const),
    reference: fc.oneof(
      fc.constantFrom('us.icr.io/a/b:1', 'de.icr.io/a/b', 'us.icr.io/a/B:1', 'docker.io/x/y:1', 'us.icr.io/a/b:1 '),
      fc.tuple(fc.constantFrom('icr.io/x/y@', 'us.icr.io/a/b:1@', 'us.icr.io/a/b@'), fc.constantFrom(...DIGESTS)).map(([r, d]) => r + d),
    ),
    digest: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.constantFrom(...DIGESTS), weight: 3 }),
    resourceGroupId: seldom(fc.constant('rg-1')),
  }),
  fc.record({ type: fc.constant('exemption' as const), id: fc.constantFrom('ex-1', 'ex-2'), name: seldom(fc.constantFrom('cve "x"')) }),
);

const requests = fc.record({
  action: fc.constantFrom(...ACTIONS),
  initiator: initiators,
  target: targets,
  status: fc.constantFrom(200, 202, 403, 404, 409, 500),
  pending: fc.boolean(),
  reasonType: seldom(fc.constantFrom('Custom', 'OK')),
  reasonForFailure: seldom(fc.constantFrom('disk "full"\n')),
  requestData: seldom(fc.dictionary(fc.constantFrom('a', 'Token', 'x"y', '名'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
  correlationId: seldom(fc.constantFrom('c-1', 'c "2"')),
  ms: fc.integer({ min: 0, max: 3000 }),
});

type Request = typeof requests extends fc.Arbitrary<infer T> ? T : never;

/** The request as an emitter's input: absent parts left out, objects the caller owns. */
function inputOf(r: Request): EmitInput<string> {
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const input: Record<string, unknown> = { initiator: defined(r.initiator), status: r.status };
  if (r.pending && r.status < 400) input.outcome = 'pending';
  if (r.target !== undefined) input.target = defined(r.target);
  for (const key of ['reasonType', 'reasonForFailure', 'requestData', 'correlationId'] as const) if (r[key] !== undefined) input[key] = r[key];
  return input as unknown as EmitInput<string>;
}

/** What the emitter gives for one request: the event (and its line), or the error's code and message. */
interface Outcome {
  event?: ActivityEvent;
  line?: string | undefined;
  error?: string;
}

function attempt(build: () => ActivityEvent): Outcome {
  try {
    return { event: structuredClone(build()) };
  } catch (err) {
    if (!(err instanceof RegtrailError)) throw err;
    return { error: `${err.code}: ${err.message}` };
  }
}

describe('the composer remembers parts between events', () => {
  it('builds each event as a fresh emitter does, with JSON.stringify\'s line, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requests, { minLength: 1, maxLength: 25 }), async (sequence) => {
        const base = Date.parse('2025-06-01T10:00:00Z');
        let now = base;
        let n = 0;
        const sink = memorySink();
        const emitter = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink, clock: () => now, newId: () => `id-${n}`, warn: () => {} });
        for (const r of sequence) {
          now = base + r.ms;
          n++;
          const input = inputOf(r);
          const fresh = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink: memorySink(), clock: () => now, newId: () => `id-${n}`, warn: () => {} });
          const expected = attempt(() => fresh.build(r.action as never, structuredClone(input) as never));
          let written: ActivityEvent | undefined;
          const got: Outcome = await emitter.emit(r.action as never, input as never).then(
            (event) => ((written = event), { event: structuredClone(event), line: sink.lines().at(-1) }),
            (err: unknown) => {
              if (!(err instanceof RegtrailError)) throw err;
              return { error: `${err.code}: ${err.message}` };
            },
          );
          expect(got.error).toBe(expected.error);
          if (got.event) {
            expect(got.event).toEqual(expected.event);
            expect(got.line).toBe(JSON.stringify(written));
            // Neither the caller's input nor the emitted event shares an object with what the composer keeps.
            written!.initiator.host.address = 'changed';
            written!.initiator.credential.type = 'user';
            written!.target.name = 'changed';
            written!.reason.reasonCode = 599;
            (input.initiator as { name?: string }).name = 'changed by the caller';
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('notices that a caller changed its initiator object between events', async () => {
    const sink = memorySink();
    const emitter = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink });
    const initiator: { id: string; name: string; ip?: string } = { id: 'IBMid-1', name: 'first', ip: '203.0.113.7' };
    await emitter.emit('namespace.list', { initiator });
    initiator.name = 'second';
    delete initiator.ip;
    const event = await emitter.emit('namespace.list', { initiator });
    expect(event.initiator).toEqual({ id: 'IBMid-1', name: 'second', typeURI: 'service/security/account/user', credential: { type: 'token' }, host: { address: '' } });
    expect(sink.lines().map((l) => JSON.parse(l).initiator.name)).toEqual(['first', 'second']);
  });
});

describe('images with a new digest per event', () => {
  // The composer parses each reference once and concatenates every new digest into its parts:
  // every combination of reference, digest in the reference and digest given, twice over and in
  // both orders, must give what an emitter that has never seen the image gives (or its error).
  const REFERENCES = [
    'us.icr.io/a/b:1', 'de.icr.io/a/b', 'icr.io/x/y', 'us.icr.io/a/b:1.0-rc', 'us.icr.io/a/b:latest', 'us.icr.io/a/b:', 'us.icr.io/a/b:.x', 'us.icr.io/a/b:x y',
    `us.icr.io/a/b:${'t'.repeat(128)}`, `us.icr.io/a/b:${'t'.repeat(129)}`, 'us.icr.io:443/a/b:2', 'us.icr.io:443/a/b', 'icr.io:5000/b', 'b:1', ':1', 'us.icr.io/a/B:1', 'docker.io/x/y:1', 'us.icr.io/a/b:1 ',
  ];
  const NAMED = [undefined, ...DIGESTS];
  const GIVEN = [undefined, ...DIGESTS];
  const cases = REFERENCES.flatMap((r) => NAMED.flatMap((named) => GIVEN.map((given) => ({ reference: named === undefined ? r : `${r}@${named}`, ...(given === undefined ? {} : { digest: given }) }))));

  it(`${cases.length} targets, each after every other: the event and line of a fresh emitter`, async () => {
    const clock = () => Date.parse('2025-06-01T10:00:00Z');
    const sink = memorySink();
    const emitter = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink, clock, newId: () => 'id-1', warn: () => {} });
    let fast = 0;
    // A target is made for one event on first sight and kept once its reference comes again, so
    // each order starts with a success once and with a failure once.
    const endings = [['image.pull', 'success'], ['image.delete', 'failure']] as const;
    for (const [order, first] of [[cases, 0], [[...cases].reverse(), 1], [cases, 1]] as const) {
      for (const target of order) {
        for (const [action, outcome] of first === 0 ? endings : [...endings].reverse()) {
          const input = { initiator: { id: 'IBMid-1' }, target: { type: 'image' as const, ...target }, outcome };
          const fresh = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink: memorySink(), clock, newId: () => 'id-1', warn: () => {} });
          const expected = attempt(() => fresh.build(action, structuredClone(input)));
          const got = attempt(() => emitter.build(action, input));
          expect(got, JSON.stringify(target)).toEqual(expected);
          if (got.event) {
            const event = await emitter.emit(action, input);
            expect(sink.lines().at(-1)).toBe(JSON.stringify(event));
            fast++;
          }
        }
      }
    }
    // The usual digests are valid in every reference of the registry: many events were made.
    expect(fast).toBeGreaterThan(300);
  });
});

describe('the image fast path', () => {
  // Once a repository has been in an event that validateEvent accepted whole, the composer makes
  // its targets from the repository's parts, whatever the tag and digest: no parse, no
  // resolveTarget, no whole validation (compose says `known`). A reference split in the wrong
  // place would quietly take the slow path, which makes the same event: only `known` tells.
  const ctx = { accountId: ACCOUNT, region: resolveRegion('us-south'), serviceDisplayName: 'IBM Cloud Container Registry', saveServiceCopy: true };
  const hex = (i: number) => i.toString(16).padStart(64, '0');
  const cases: [reference: string, digest: 'given' | 'named' | 'none'][] = [
    ['us.icr.io/a/b:1', 'given'],
    ['us.icr.io/a/b:1', 'none'],
    ['us.icr.io/a/b', 'given'],
    ['us.icr.io/a/b', 'named'],
    ['us.icr.io/a/b:1', 'named'],
    ['us.icr.io/team/app.v2:1.4.2-rc', 'given'],
    ['icr.io/x/y', 'named'],
    ['us.icr.io:443/a/b:2', 'given'],
    ['us.icr.io:443/a/b', 'named'],
  ];
  it.each(cases)('%s, digest %s: known from the third event of the repository on', (reference, digest) => {
    const composer = new EventComposer(ctx);
    const action = getAction('image.pull');
    const known: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const d = `sha256:${hex(i + 1)}`;
      const target =
        digest === 'given' ? { type: 'image' as const, reference, digest: d } : digest === 'named' ? { type: 'image' as const, reference: `${reference}@${d}` } : { type: 'image' as const, reference };
      const { event, line, known: k } = composer.compose(action, { initiator: { id: 'IBMid-1' }, target }, '2025-06-01T10:00:00.00+0000', `id-${i}`);
      expect(line).toBe(JSON.stringify(event));
      expect(validateEvent(event).ok).toBe(true);
      composer.markValid();
      known.push(k);
    }
    // First sight: resolveTarget; the second event is validated whole and marks the repository.
    expect(known).toEqual([false, false, true, true, true]);
  });
});
