import { describe, expect, it } from 'vitest';
import { createEmitter, memorySink, RegtrailError, seededRandom, validateEvent, type ActivityEvent, type EmitInput } from '../index.js';
import { simulation, type SimulatedRequest } from '../simulate/simulate.js';
import { actionAsOf, allActions } from '../catalog/catalog.js';
import { BY_CONSTRUCTION } from './build.js';

/**
 * Differential test of the emitter's validation by construction (validate.ts, composedPartsValid)
 * against validateEvent: an emitter checks whole only events with a part it has not seen in a
 * valid event, and of the others only what is new in each. For thousands of requests of
 * simulate's mix, many of them mutated (bad caller names, control characters and bidi marks,
 * wrong types, requestData missing or wrong, ids that are not strings…), in one long sequence so
 * that parts repeat, the emitter must reject exactly the events that validateEvent rejects when
 * it checks each one whole: never more lenient, and no stricter.
 */
const COUNT = 4000;
const ACCOUNT = 'acct-fast';

type Mutation = (input: Record<string, any>, random: ReturnType<typeof seededRandom>) => string | undefined;

const MUTATIONS: Mutation[] = [
  (x) => ((x.initiator.name = 'line\nbreak'), 'initiator.name with a line break'),
  (x) => ((x.initiator.name = 'rtl\u202eoverride'), 'initiator.name with a bidi override'),
  (x) => ((x.initiator.agent = 'agent\u0085'), 'initiator.agent with a C1 control (no pattern: allowed)'),
  (x) => ((x.initiator.type = x.initiator.id.startsWith('IBMid-') ? 'serviceid' : 'user'), 'initiator type against its id'),
  (x) => ((x.correlationId = 42), 'correlationId a number'),
  (x) => ((x.correlationId = ''), 'correlationId empty (allowed)'),
  (x) => ((x.target = { type: 'exemption', id: 'ex-1', name: 'CVE\u0007' }), 'target name with a control character'),
  (x) => ((x.target = { type: 'resource', resourceType: 'quota', id: 'q', name: 'x\u2066y' }), 'target name with a bidi isolate'),
  (x) => ((x.target = { type: 'namespace', name: 'ok-ns' }), 'a namespace target'),
  (x) => {
    if (x.target?.type !== 'image') return undefined;
    x.target.digest = `sha256:${'AB'.repeat(32)}`;
    return 'an upper-case digest';
  },
  (x, random) => {
    const data = x.requestData;
    if (!data) return undefined;
    const keys = Object.keys(data);
    const key = keys[random.int(keys.length)]!;
    const how = random.int(4);
    if (how === 0) delete data[key];
    else if (how === 1) data[key] = 7;
    else if (how === 2) data[key] = { nested: true };
    else data[key] = 'not-one-of-the-values';
    return `requestData.${key} changed (${how})`;
  },
  (x) => (x.requestData ? ((x.requestData = {}), 'requestData empty') : undefined),
  (x) => ((x.requestData = { extra: 'field' }), 'requestData that the action may not list'),
  (x, random) => {
    const data = x.responseData;
    if (!data) return undefined;
    const keys = Object.keys(data);
    data[keys[random.int(keys.length)]!] = false;
    return 'a responseData field made false';
  },
  (x) => ((x.reasonType = 5), 'reasonType a number'),
  (x) => ((x.reasonForFailure = 'multi\nline'), 'reasonForFailure on two lines (no pattern: allowed)'),
  () => 'id', // the id is not a string (see below)
];

/** Where the requests come from: simulate's mix by default. */
type Source = (seed: string) => { next(): SimulatedRequest };
const simulated: Source = (seed) => simulation({ seed, start: new Date('2026-01-05T00:00:00Z'), rate: 50, world: { repositories: 40, callers: 12 } });

function run(displayName: string | undefined, seed: string, source: Source = simulated, mutations: Mutation[] = MUTATIONS): { rejected: number; accepted: number; mutated: number } {
  const sim = source(seed);
  const random = seededRandom(`${seed}-mutations`);
  let now = 0;
  let id: unknown = '';
  const options = { accountId: ACCOUNT, region: 'us-south', clock: () => now, newId: () => id as string, warn: () => {}, ...(displayName ? { serviceDisplayName: displayName } : {}) };
  const fast = createEmitter({ ...options, sink: memorySink() });
  const reference = createEmitter({ ...options, sink: memorySink(), validate: false });
  const counts = { rejected: 0, accepted: 0, mutated: 0 };
  for (let i = 0; i < COUNT; i++) {
    const request: SimulatedRequest = sim.next();
    now = request.time;
    id = request.id;
    const input = structuredClone(request.input) as Record<string, any>;
    let note: string | undefined;
    if (random.next() < 0.3) {
      note = mutations[random.int(mutations.length)]!(input, random);
      if (note === 'id') id = random.next() < 0.5 ? 17 : undefined;
      if (note) counts.mutated++;
    }
    const action = request.action.id;
    let expected: string;
    try {
      const event = reference.build(action as never, structuredClone(input) as EmitInput<never>);
      const result = validateEvent(event, { secretsRedacted: true, ...(displayName ? { serviceDisplayName: displayName } : {}) });
      expected = result.ok ? 'ok' : 'INVALID_EVENT';
    } catch (err) {
      if (!(err instanceof RegtrailError)) throw err;
      expected = err.code;
    }
    let got: string;
    let event: ActivityEvent | undefined;
    try {
      event = fast.build(action as never, input as EmitInput<never>);
      got = 'ok';
    } catch (err) {
      if (!(err instanceof RegtrailError)) throw err;
      got = err.code;
    }
    if (got !== expected) throw new Error(`request ${i} (${action}${note ? `, ${note}` : ''}): the emitter says ${got}, validateEvent on the whole event ${expected}\n${JSON.stringify(event ?? input)}`);
    if (got === 'ok') counts.accepted++;
    else counts.rejected++;
  }
  return counts;
}

describe('validation by construction agrees with validateEvent on every event', () => {
  it(`${COUNT} requests of simulate's mix, a third of them mutated`, () => {
    const counts = run(undefined, 'fast-1');
    // The test can fail: many events are rejected, many accepted (most of them through the fast path).
    expect(counts.rejected).toBeGreaterThan(COUNT * 0.1);
    expect(counts.accepted).toBeGreaterThan(COUNT * 0.5);
    expect(counts.mutated).toBeGreaterThan(COUNT * 0.2);
  });

  it('… with a service display name of its own, and one that no message may hold', () => {
    expect(run('Example Registry', 'fast-2').accepted).toBeGreaterThan(COUNT * 0.5);
    expect(run('Registry \u202e', 'fast-3').accepted).toBe(0);
  });
});

/**
 * Targets named by an id (exemptions, registry tokens): the emitter composes a new id's target from
 * its kind's parts and checks only its name (build.ts, NamedKind). Requests of every action that
 * acts on such a target on a day the catalog lists them, with ids and names of every sort: new
 * ids, ids with colons, percent signs, quotes, line breaks and bidi marks, names missing, empty,
 * not strings, with control characters or bidi marks.
 */
const NAMED_DAY = '2020-01-15';
const NAMED_ACTIONS = allActions().filter((a) => a.dataEvent !== 'unclassified' && actionAsOf(a, NAMED_DAY) !== undefined && a.targets.some((k) => !['account', 'namespace', 'image'].includes(k)));
const IDS = ['ex-1', 'a:b', '100%', 'with "quotes"', 'line\nbreak', 'rtl\u202e', ' ', '', 'ünïcode', 'x'.repeat(300)];
const NAMES = [undefined, undefined, undefined, 'CVE-2024-1234', '', 'CVE\u0007', 'x\u2066y', 'a "quoted" name', 'tab\there', '名前', 7];
const named: Source = (seed) => {
  const random = seededRandom(`${seed}-named`);
  const start = Date.parse(`${NAMED_DAY}T00:00:00Z`);
  let i = 0;
  return {
    next: (): SimulatedRequest => {
      const action = NAMED_ACTIONS[random.int(NAMED_ACTIONS.length)]!;
      const kinds = action.targets.filter((k) => !['account', 'namespace', 'image'].includes(k));
      const kind = kinds[random.int(kinds.length)]!;
      // Mostly a new id per event, as exemptions come.
      const id = random.next() < 0.6 ? random.uuid() : IDS[random.int(IDS.length)]!;
      const name = NAMES[random.int(NAMES.length)];
      const target: Record<string, unknown> = kind === 'exemption' ? { type: 'exemption', id } : { type: 'resource', resourceType: kind, id };
      if (name !== undefined) target.name = name;
      const failed = random.next() < 0.2;
      const input = { initiator: { id: 'IBMid-1', ip: '203.0.113.7' }, target, ...(failed ? { status: 404 } : {}) } as EmitInput<string>;
      return { action, region: undefined as never, input, id: random.uuid(), time: start + i++ * 10 };
    },
  };
};

describe('targets named by an id', () => {
  it(`${COUNT} requests of the actions on exemptions and registry tokens`, () => {
    expect(NAMED_ACTIONS.length).toBeGreaterThanOrEqual(3);
    const counts = run(undefined, 'named-1', named, [() => 'id', (x) => ((x.target.id = 42), 'an id that is not a string')]);
    expect(counts.rejected).toBeGreaterThan(COUNT * 0.2);
    expect(counts.accepted).toBeGreaterThan(COUNT * 0.2);
  });

  it('catches a sabotaged name rule (the test can fail)', () => {
    const rule = BY_CONSTRUCTION.targetName;
    expect(rule).toBeDefined();
    BY_CONSTRUCTION.targetName = () => true;
    try {
      expect(() => run(undefined, 'named-2', named, [() => 'id'])).toThrow(/the emitter says ok, validateEvent on the whole event INVALID_EVENT/);
    } finally {
      BY_CONSTRUCTION.targetName = rule;
    }
    expect(() => run(undefined, 'named-2', named, [() => 'id'])).not.toThrow();
  });
});
