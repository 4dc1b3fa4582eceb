import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allActions, createEmitter, eventSchema, listRegions, memorySink, validateEvent, type ActivityEvent } from '../index.js';
import { GENERATED_RULES } from './validate.js';

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
const ACCOUNT = 'abc123';

/** A valid failed image push to start each defect from. */
function good(): ActivityEvent {
  const emitter = createEmitter({ accountId: ACCOUNT, region: 'eu-de', sink: memorySink(), clock: () => Date.UTC(2025, 0, 15, 8), newId: () => 'id-1' });
  return emitter.build('image-vulnerability-report.read', {
    initiator: { id: 'IBMid-42', name: 'dev@example.com', ip: '198.51.100.4' },
    target: { type: 'image', reference: 'de.icr.io/ns/app:1.0' },
    status: 404,
    requestData: { RequestParameters: { name: 'de.icr.io/ns/app:1.0' } },
  });
}

type Mutator = (e: Record<string, any>) => unknown;

/** One defect per row: how to break a good event, and the problem the validator must report. */
const DEFECTS: [string, Mutator, string, RegExp][] = [
  ['missing action', (e) => void delete e.action, '/action', /is required/],
  ['unknown action', (e) => void (e.action = 'container-registry.image.frobnicate'), '/action', /unknown action/],
  ['action removed as of eventTime', (e) => Object.assign(e, { action: 'container-registry.registrytoken.get', requestData: undefined, target: { ...e.target, typeURI: 'container-registry/registrytoken' }, message: `IBM Cloud Container Registry: get registrytoken ${e.target.name} -failure` }), '/action', /was removed on 2021-08-23/],
  ['action not yet listed at eventTime', (e) => void (e.eventTime = '2020-01-01T00:00:00.00+0000'), '/action', /not yet listed on 2020-01-01/],
  ['eventTime format', (e) => void (e.eventTime = '2025-01-15T08:00:00.000Z'), '/eventTime', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
  ['impossible date', (e) => void (e.eventTime = '2025-02-30T08:00:00.00+0000'), '/eventTime', /not a real calendar date/],
  ['impossible time', (e) => void (e.eventTime = '2025-01-15T24:00:00.00+0000'), '/eventTime', /not a real time of day/],
  ['severity contrary to the status table', (e) => void ((e.reason.reasonCode = 403), (e.reason.reasonType = 'Forbidden')), '/severity', /must be critical for reason code 403/],
  ['normal severity on a failure', (e) => void (e.severity = 'normal'), '/severity', /must be warning or critical/],
  ['failure without reasonType', (e) => void delete e.reason.reasonType, '/reason/reasonType', /required when the outcome is failure/],
  ['outcome contrary to the reason code', (e) => void (e.outcome = 'success'), '/outcome', /must be failure/],
  ['target.id not a CRN', (e) => void (e.target.id = 'de.icr.io/ns/app:1.0'), '/target/id', /CRN/],
  ['target.id with nine segments', (e) => void (e.target.id = `crn:v1:bluemix:public:container-registry:eu-de:a/${ACCOUNT}:image:x`), '/target/id', /ten segments|ten \(/],
  ['target.id of another service', (e) => void (e.target.id = `crn:v1:bluemix:public:cloud-object-storage:eu-de:a/${ACCOUNT}::bucket:x`), '/target/id', /container-registry service/],
  ['logSourceCRN without account scope', (e) => void (e.logSourceCRN = 'crn:v1:bluemix:public:container-registry:eu-de::::'), '/logSourceCRN', /account-scoped/],
  ['logSourceCRN with an unknown location', (e) => void (e.logSourceCRN = `crn:v1:bluemix:public:container-registry:mars-1:a/${ACCOUNT}:::`), '/logSourceCRN', /no region's CRN location/],
  ['wrong dataEvent', (e) => void (e.dataEvent = true), '/dataEvent', /must be false \(the catalog lists .* as a management event\)/],
  ['dataEvent not a boolean', (e) => void (e.dataEvent = 'false'), '/dataEvent', /must be true or false/],
  ['wrong target.typeURI', (e) => void (e.target.typeURI = 'container-registry/image'), '/target/typeURI', /must be "container-registry\/image-vulnerability-report"/],
  ['observer name', (e) => void (e.observer.name = 'LogDNA'), '/observer/name', /must be "ActivityTracker"/],
  ['missing initiator.id', (e) => void delete e.initiator.id, '/initiator/id', /is required/],
  ['bad credential type', (e) => void (e.initiator.credential.type = 'password'), '/initiator/credential/type', /must be one of token, user, apikey/],
  ['initiator typeURI contrary to the id', (e) => void (e.initiator.typeURI = 'service/security/account/serviceid'), '/initiator/typeURI', /must be service\/security\/account\/user/],
  ['stringified requestData', (e) => void (e.requestData = JSON.stringify(e.requestData)), '/requestData', /not a string \(stringified JSON/],
  ['enum value not allowed', (e) => void (e.responseData = { status: 'GREAT' }), '/responseData/status', /must be one of OK, WARN, FAIL, UNSUPPORTED, INCOMPLETE, UNSCANNED, not "GREAT"/],
  ['missing required request field', (e) => void delete e.requestData.RequestParameters.name, '/requestData/RequestParameters/name', /is required/],
  ['missing requestData', (e) => void delete e.requestData, '/requestData', /is required/],
  ['legacy payload wrapper', (e) => void (e.payload = {}), '/payload', /legacy/],
  ['unknown field', (e) => void (e.target.colour = 'blue'), '/target/colour', /not a field of the event model/],
  ['reasonCode not an HTTP status', (e) => void (e.reason.reasonCode = 42), '/reason/reasonCode', /HTTP status code/],
  ['message without -failure', (e) => void (e.message = e.message.replace(' -failure', '')), '/message', /-failure/],
  ['message of another action', (e) => void (e.message = 'IBM Cloud Container Registry: push image x'), '/message', /must start with/],
  ['unredacted secret', (e) => void (e.requestData.headers = { Authorization: 'Bearer abc' }), '/requestData/headers/Authorization', /must be redacted/],
  ['bad outcome', (e) => void (e.outcome = 'unknown'), '/outcome', /must be one of success, pending, failure/],
  ['empty target.name', (e) => void (e.target.name = ''), '/target/name', /must not be empty/],
];

describe('validateEvent', () => {
  it('accepts the good event', () => {
    expect(validateEvent(good())).toEqual({ ok: true, problems: [] });
  });

  it('has at least twenty distinct defects', () => expect(new Set(DEFECTS.map((d) => d[0])).size).toBeGreaterThanOrEqual(20));

  it.each(DEFECTS)('catches %s', (_name, mutate, path, message) => {
    const event = structuredClone(good()) as Record<string, any>;
    mutate(event);
    for (const k of Object.keys(event)) if (event[k] === undefined) delete event[k];
    const result = validateEvent(event);
    expect(result.ok).toBe(false);
    const hit = result.problems.find((p) => p.path === path);
    expect(hit, JSON.stringify(result.problems)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it.each([
    [null, 'null'],
    [[], 'an array'],
    ['{"action":"x"}', 'a string'],
    [42, 'a number'],
    [undefined, 'a undefined'],
  ])('never throws: %j is not an event', (value, kind) => {
    expect(validateEvent(value)).toEqual({ ok: false, problems: [{ path: '', message: `the event must be a JSON object, not ${kind}` }] });
  });

  it('never throws on hostile or huge input', () => {
    const cyclic: Record<string, any> = { ...good() };
    cyclic.requestData = { self: null as unknown };
    (cyclic.requestData as Record<string, unknown>).self = cyclic.requestData;
    expect(() => validateEvent(cyclic)).not.toThrow();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100_000; i++) deep = (deep.a = {}) as Record<string, unknown>;
    expect(validateEvent({ ...good(), requestData: root }).ok).toBe(false); // the request field is missing, and that is all
    const huge = { ...good(), requestData: { RequestParameters: { name: 'x' }, blob: 'x'.repeat(5_000_000), many: Array.from({ length: 100_000 }, (_, i) => ({ i })) } };
    expect(validateEvent(huge).ok).toBe(true);
    const throwing = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    expect(validateEvent(throwing)).toMatchObject({ ok: false });
    expect(validateEvent({ action: { toString: null } }).ok).toBe(false);
  });

  it('reports every problem at once, and can cap them', () => {
    const result = validateEvent({ action: 'container-registry.image.push', observer: { name: 'x' }, extra: 1 });
    expect(result.problems.length).toBeGreaterThan(10);
    expect(validateEvent({}, { maxProblems: 3 }).problems).toHaveLength(3);
  });

  // The validator remembers the start of the last good CRN; what follows it must still be checked.
  it.each([
    ['eleven segments', `crn:v1:bluemix:public:container-registry:eu-de:a/${ACCOUNT}::image:ns/app:1.0`, /ten segments|ten \(/],
    ['nine segments', `crn:v1:bluemix:public:container-registry:eu-de:a/${ACCOUNT}:image:x`, /ten segments|ten \(/],
    ['a resource without a resource type', `crn:v1:bluemix:public:container-registry:eu-de:a/${ACCOUNT}:::ns`, /no resource type/],
  ])('checks a target CRN to the end after a good one with the same start: %s', (_name, id, message) => {
    expect(validateEvent(good()).ok).toBe(true);
    const event = structuredClone(good()) as Record<string, any>;
    event.target.id = id;
    expect(validateEvent(event).problems).toEqual([{ path: '/target/id', message: expect.stringMatching(message) }]);
  });

  it.each([
    ['2025-01-15T08:00:59.99+0000', undefined],
    ['2025-01-15T08:00:60.00+0000', /not a real time of day/],
    ['2025-01-15T08:00:0a.00+0000', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
    ['2025-01-15T08:00:00,00+0000', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
    ['2025-01-15T08:00:00.0a+0000', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
    ['2025-01-15T08:00:00.00+0100', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
    ['2025-01-15T08:00:00.000+0000', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
    ['2025-01-15T08:00:00.00+000', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
    ['2025-01-15T08:00:00.00+0000x', /YYYY-MM-DDTHH:mm:ss\.SS\+0000/],
  ])('checks an event time to the end after a good one in the same minute: %s', (eventTime, problem) => {
    expect(validateEvent(good()).ok).toBe(true); // 2025-01-15T08:00:00.00+0000
    const e = { ...good(), eventTime };
    expect(validateEvent(e).problems).toEqual(problem ? [{ path: '/eventTime', message: expect.stringMatching(problem) }] : []);
  });

  it.each([
    ['2019-03-13T23:59:59.99+0000', /was not yet listed on 2019-03-13 \(listed from 2019-03-14\)/],
    ['2019-03-14T00:00:00.00+0000', undefined],
    ['2021-08-22T23:59:59.99+0000', undefined],
    ['2021-08-23T00:00:00.00+0000', /was removed on 2021-08-23; it cannot occur on 2021-08-23/],
  ])('the lifecycle by the event day, to the hundredth: %s', (eventTime, problem) => {
    // container-registry.registrytoken.get: listed 2019-03-14, removed 2021-08-23.
    const e = Object.assign(structuredClone(good()) as Record<string, any>, { action: 'container-registry.registrytoken.get', eventTime });
    delete e.requestData;
    e.target.typeURI = 'container-registry/registrytoken';
    e.message = `IBM Cloud Container Registry: get registrytoken ${e.target.name} -failure`;
    expect(validateEvent(e).problems).toEqual(problem ? [{ path: '/action', message: expect.stringMatching(problem) }] : []);
  });

  it('the one-pass CRN expressions give the verdict of the walk from colon to colon, on every near miss', () => {
    const locations = [...new Set(listRegions().map((r) => r.crnLocation))];
    const head = (loc: string) => `crn:v1:bluemix:public:container-registry:${loc}:a/${ACCOUNT}:`;
    const goods = [
      ...locations.map((loc) => `${head(loc)}::namespace:ns`),
      ...['eu-de', 'global'].flatMap((loc) => [`${head(loc)}:image:ns/app@sha256%3A${'ab'.repeat(8)}`, `${head(loc)}::`, `${head(loc)}x::`]),
    ];
    const nearMisses = new Set<string>();
    for (const crn of goods) {
      nearMisses.add(crn);
      for (let i = 0; i <= crn.length; i++) {
        for (const c of [':', 'x', 'X', '\n', '-', '\u00e9', '']) {
          nearMisses.add(crn.slice(0, i) + c + crn.slice(i + 1)); // replaced (or deleted)
          nearMisses.add(crn.slice(0, i) + c + crn.slice(i)); // inserted
        }
      }
    }
    for (const scope of ['a/', 'a/-x', 'a/_x', 'b/x', 'a//x', 'a/x y', 's/x', 'a/x:y', 'A/x', 'a/\u00e9']) nearMisses.add(`crn:v1:bluemix:public:container-registry:eu-de:${scope}::namespace:ns`);
    for (const loc of ['', 'eu', 'eu-de ', 'EU-DE', 'eu-dee', 'us-sout', 'global ', 'us.south']) nearMisses.add(`crn:v1:bluemix:public:container-registry:${loc}:a/${ACCOUNT}:::`);
    const base = good();
    const slow = (field: 'target' | 'logSourceCRN', crn: string) => {
      const e = { ...base, target: { ...base.target } } as Record<string, any>;
      if (field === 'target') e.target.id = crn;
      else e.logSourceCRN = crn;
      const pointer = field === 'target' ? '/target/id' : '/logSourceCRN';
      return !validateEvent(e).problems.some((p) => p.path === pointer);
    };
    const shapes = { ...GENERATED_RULES.crnShapes };
    const disagree: string[] = [];
    let accepted = 0;
    GENERATED_RULES.crnShapes.target = GENERATED_RULES.crnShapes.other = /(?!)/; // the walk alone
    try {
      for (const crn of nearMisses) {
        for (const [field, shape] of [['target', shapes.target], ['logSourceCRN', shapes.other]] as const) {
          const ok = slow(field, crn);
          if (ok) accepted++;
          if (ok !== shape.test(crn)) disagree.push(`${field} ${JSON.stringify(crn)}: walk ${ok}, expression ${!ok}`);
        }
      }
    } finally {
      Object.assign(GENERATED_RULES.crnShapes, shapes);
    }
    expect(nearMisses.size).toBeGreaterThan(5_000);
    expect(accepted).toBeGreaterThan(200); // so that both verdicts occur
    expect(disagree.slice(0, 10)).toEqual([]);
  });

  it('finds every catalog action by its id as JSON brings it (a new string), and no id that differs in one character', () => {
    const event = good();
    for (const a of allActions()) {
      // The id as a string of its own, as JSON.parse makes one (never the catalog's string).
      const id = JSON.parse(JSON.stringify(a.id)) as string;
      const checked = validateEvent({ ...event, action: id });
      expect(checked.problems.some((p) => /unknown action/.test(p.message)), a.id).toBe(false);
      for (const at of [0, a.id.length >> 1, a.id.length - 1]) {
        const other = `${a.id.slice(0, at)}${a.id[at] === 'x' ? 'y' : 'x'}${a.id.slice(at + 1)}`;
        if (allActions().some((b) => b.id === other)) continue;
        expect(validateEvent({ ...event, action: other }).problems, other).toContainEqual({ path: '/action', message: expect.stringMatching(/unknown action/) });
      }
    }
  });

  it('lifecycle checks can be turned off', () => {
    const e = { ...good(), eventTime: '2020-01-01T00:00:00.00+0000' };
    expect(validateEvent(e, { lifecycle: false }).ok).toBe(true);
  });
});

describe('eventSchema', () => {
  it('is draft 2020-12 with one variant per action', () => {
    const all = eventSchema();
    expect(all.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(all.$defs as object)).toHaveLength(42);
    expect((all.allOf as unknown[]).length).toBe(41);
  });

  it('puts the catalog into each variant', () => {
    const s = eventSchema('account-vulnerability-report.list') as any;
    const variant = s.allOf[1];
    expect(variant.properties.action).toEqual({ const: 'container-registry.account-vulnerability-report.list' });
    expect(variant.properties.dataEvent.const).toBe(false);
    expect(variant.required).toEqual(['requestData']);
    expect(variant.properties.requestData.properties.RequestParameters.required).toEqual(['repository', 'includeIBM', 'includePrivate']);
    expect(variant.properties.requestData.properties.RequestParameters.properties.includeIBM.enum).toEqual(['true', 'false']);
  });

  it('rejects an unknown action', () => expect(() => eventSchema('image.nope')).toThrow(/unknown action/));
});

/**
 * The validator checks "no other fields" and the form of eventTime with its own rules instead of
 * ajv's generic code (see internalCommonSchema). They must say exactly what the published schema says.
 */
describe('rules standing in for schema keywords agree with the published schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const published = ajv.compile(eventSchema('image-vulnerability-report.read'));
  const schemaSays = (event: unknown) => {
    published(event);
    const errors = published.errors ?? [];
    return {
      unknown: errors.filter((e) => e.keyword === 'additionalProperties').map((e) => `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty.replace(/~/g, '~0').replace(/\//g, '~1')}`).sort(),
      badTime: errors.some((e) => e.instancePath === '/eventTime' && e.keyword === 'pattern'),
    };
  };
  const validatorSays = (event: unknown) => {
    const { problems } = validateEvent(event);
    return {
      unknown: problems.filter((p) => /is not a field of the event model|legacy/.test(p.message)).map((p) => p.path).sort(),
      badTime: problems.some((p) => p.path === '/eventTime' && /must be UTC written/.test(p.message)),
    };
  };

  const OBJECTS = ['', '/initiator', '/initiator/credential', '/initiator/host', '/target', '/target/host', '/reason', '/observer', '/requestData'];
  const keyNames = fc.constantFrom('colour', 'id', 'name', 'payload', 'address', 'x/y~z', '__proto__', 'typeURI', 'agent');
  const shuffled = <T>(items: T[], seed: number) => items.map((v, i) => [((i + 1) * 7919 * (seed + 1)) % 104729, v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);

  it('on extra fields at every level, in any key order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...OBJECTS), keyNames), { maxLength: 4 }), fc.nat(1000), (extras, seed) => {
        const event = structuredClone(good()) as Record<string, any>;
        event.target.host = { address: '10.0.0.1' };
        for (const [at, key] of extras) {
          const obj = at.split('/').slice(1).reduce((o, k) => o[k], event);
          Object.defineProperty(obj, key, { value: 1, enumerable: true, writable: true, configurable: true });
        }
        // Rebuild every object with its keys in another order (the rules match the model's order fast, any order right).
        const reorder = (value: unknown): unknown => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
          const out: Record<string, unknown> = {};
          for (const k of shuffled(Object.keys(value), seed)) Object.defineProperty(out, k, { value: reorder((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
          return out;
        };
        const e = seed % 2 ? reorder(event) : event;
        expect(validatorSays(e).unknown).toEqual(schemaSays(e).unknown);
      }),
      { numRuns: 300 },
    );
  });

  it('on event times of every near-miss form', () => {
    const valid = '2025-01-15T08:00:00.00+0000';
    const nearMisses = fc.oneof(
      fc.constant(valid),
      fc.tuple(fc.nat(valid.length - 1), fc.constantFrom('0', '9', 'a', 'T', '-', ':', '.', '+', ' ', 'Z', '٣')).map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
      fc.nat(valid.length - 1).map((i) => valid.slice(0, i) + valid.slice(i + 1)),
      fc.tuple(fc.nat(valid.length), fc.constantFrom('0', 'Z', '\n')).map(([i, c]) => valid.slice(0, i) + c + valid.slice(i)),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(nearMisses, (eventTime) => {
        const e = { ...good(), eventTime };
        expect(validatorSays(e).badTime).toBe(schemaSays(e).badTime);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the search for unredacted secrets', () => {
  // Redaction covers 64 levels; the search must look as deep, or a secret below it passes.
  it.each([1, 10, 33, 40, 60])('finds a secret %i levels down in requestData', (depth) => {
    const event = good() as ActivityEvent & { requestData: Record<string, unknown> };
    let node: Record<string, unknown> = { token: 'realsecret' };
    for (let i = 1; i < depth; i++) node = { next: node };
    event.requestData = { ...event.requestData, deep: node };
    const { problems } = validateEvent(event);
    expect(problems.map((p) => p.path)).toContain(`/requestData/deep/${'next/'.repeat(depth - 1)}token`);
  });
});
