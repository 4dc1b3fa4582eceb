import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';
import {
  createEmitter,
  eventSchema,
  formatMessage,
  getAction,
  serializeEvent,
  listActions,
  memorySink,
  RegtrailError,
  validateEvent,
  type ActivityEvent,
  type EmitInput,
  type TargetInput,
} from '../index.js';

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;

const ACCOUNT = '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a';
const DIGEST = `sha256:${'3f'.repeat(32)}`;
const clockAt = (iso: string) => () => new Date(iso);

function setup(options: { at?: string; warn?: (m: string) => void } = {}) {
  const sink = memorySink();
  let n = 0;
  const emitter = createEmitter({
    accountId: ACCOUNT,
    region: 'us-south',
    sink,
    clock: clockAt(options.at ?? '2025-06-01T10:20:30.456Z'),
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...(options.warn ? { warn: options.warn } : {}),
  });
  return { sink, emitter };
}

/** A plausible request for any action: request fields the catalog lists, a target that suits the object type. */
function inputFor(id: string, failure: boolean): EmitInput<string> {
  const requestData: Record<string, unknown> = {};
  const action = listActions({ includeRemoved: true }).find((a) => a.id === id)!;
  for (const f of action.fields.filter((x) => x.path.startsWith('requestData.'))) {
    const keys = f.path.split('.').slice(1);
    let node = requestData;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = f.values ? f.values[0] : 'us.icr.io/ns/app:1.0';
  }
  // The usual kind of target the catalog lists for the action.
  const kind = action.targets[0]!;
  const target: TargetInput =
    kind === 'image'
      ? { type: 'image', reference: 'us.icr.io/ns/app:1.0', ...(failure ? {} : { digest: DIGEST }) }
      : kind === 'namespace'
        ? { type: 'namespace', name: 'team-a' }
        : kind === 'exemption'
          ? { type: 'exemption', id: 'ex-1' }
          : kind === 'account'
            ? { type: 'account' }
            : { type: 'resource', resourceType: kind, id: 'r-1' };
  return {
    initiator: { id: 'iam-ServiceId-5a6b', name: 'ci-pipeline', ip: '2001:db8::7' },
    target,
    ...(failure ? { status: 404 } : {}),
    ...(Object.keys(requestData).length ? { requestData } : {}),
  };
}

const ajvIndependent = new Ajv2020({ allErrors: true, strict: true });
const wholeSchema = ajvIndependent.compile(eventSchema());

describe('emitter: every current action, success and failure', () => {
  const current = listActions({ asOf: '2025-06-01' });
  it('covers the 34 actions listed today', () => expect(current).toHaveLength(34));

  it.each(current.flatMap((a) => [[a.id, 'success'] as const, [a.id, 'failure'] as const]))('%s %s is valid', async (id, outcome) => {
    const { sink, emitter } = setup();
    const event = await emitter.emit(id as never, inputFor(id, outcome === 'failure') as never);
    expect(sink.events).toEqual([event]);
    // The line composed while building is exactly JSON.stringify's, and so is the generic serializer's.
    expect(sink.lines()).toEqual([JSON.stringify(event)]);
    expect(serializeEvent(event)).toBe(JSON.stringify(event));
    const a = getAction(id);
    expect(event.message).toBe(formatMessage('IBM Cloud Container Registry', a.verb, a.objectType, event.target.name, event.outcome));
    expect(event.outcome).toBe(outcome);
    expect(event.action).toBe(id);
    expect(validateEvent(event)).toEqual({ ok: true, problems: [] });
    const own = ajvIndependent.getSchema(`urn:regtrail:schema:event:${id}`) ?? ajvIndependent.compile(eventSchema(id));
    expect(own(event), JSON.stringify(own.errors)).toBe(true);
    expect(wholeSchema(event), JSON.stringify(wholeSchema.errors)).toBe(true);
    if (outcome === 'failure') {
      expect(event.message).toMatch(/ -failure$/);
      expect(event.severity).not.toBe('normal');
      expect(event.reason).toMatchObject({ reasonCode: 404, reasonType: 'Not Found' });
    } else {
      expect(event.message).not.toMatch(/-failure/);
    }
  });
});

describe('emitter: hand-checked events', () => {
  it('a push of us.icr.io/ns/app:1.0 by a user from 203.0.113.7', async () => {
    const { emitter } = setup();
    const event = await emitter.emit('image.push', {
      initiator: { id: 'IBMid-310000ABCD', name: 'dev@example.com', ip: '203.0.113.7' },
      target: { type: 'image', reference: 'us.icr.io/ns/app:1.0', digest: DIGEST },
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    });
    const expected: ActivityEvent = {
      action: 'container-registry.image.push',
      initiator: {
        id: 'IBMid-310000ABCD',
        name: 'dev@example.com',
        typeURI: 'service/security/account/user',
        credential: { type: 'token' },
        host: { address: '203.0.113.7', addressType: 'IPv4' },
      },
      target: {
        id: `crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}::image:ns/app@sha256%3A${'3f'.repeat(32)}`,
        name: 'us.icr.io/ns/app:1.0',
        typeURI: 'container-registry/image',
      },
      outcome: 'success',
      reason: { reasonCode: 200, reasonType: 'OK' },
      severity: 'normal',
      eventTime: '2025-06-01T10:20:30.45+0000',
      message: 'IBM Cloud Container Registry: push image us.icr.io/ns/app:1.0',
      logSourceCRN: `crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}:::`,
      saveServiceCopy: true,
      observer: { name: 'ActivityTracker' },
      dataEvent: true,
      id: '00000000-0000-4000-8000-000000000001',
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    };
    expect(event).toStrictEqual(expected);
    // Key order too: the event prints as written above.
    expect(JSON.stringify(event)).toBe(JSON.stringify(expected));
  });

  it.each([
    ['namespace.delete', 403, { type: 'namespace', name: 'team-a' }, 'critical', 'failure'],
    ['namespace.create', 409, { type: 'namespace', name: 'team-a' }, 'warning', 'failure'],
    ['image.list', 200, { type: 'account' }, 'normal', 'success'],
    ['namespace.delete', 200, { type: 'namespace', name: 'team-a' }, 'critical', 'success'],
    ['image.pull', 401, { type: 'image', reference: 'de.icr.io/ns/app:1' }, 'critical', 'failure'],
    ['image.pull', 404, { type: 'image', reference: 'de.icr.io/ns/app:1' }, 'warning', 'failure'],
    ['image.delete', 404, { type: 'image', reference: 'de.icr.io/ns/app:1' }, 'critical', 'failure'],
    ['image.push', 503, { type: 'image', reference: 'de.icr.io/ns/app:1' }, 'critical', 'failure'],
    ['image.push', 507, { type: 'image', reference: 'de.icr.io/ns/app:1' }, 'critical', 'failure'],
    ['quota.set', 200, { type: 'account' }, 'warning', 'success'],
  ] as const)('%s with status %i is %s', async (action, status, target, severity, outcome) => {
    const { emitter } = setup();
    const event = await emitter.emit(action, { initiator: { id: 'IBMid-1', ip: '203.0.113.7' }, target, status });
    expect(event.severity).toBe(severity);
    expect(event.outcome).toBe(outcome);
  });

  it('an image named by digest is named by digest; a failed request by tag has no digest', async () => {
    const { emitter } = setup();
    const byDigest = await emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: `jp2.icr.io/team/app@${DIGEST}` } });
    expect(byDigest.target.name).toBe(`jp2.icr.io/team/app@${DIGEST}`);
    expect(byDigest.target.id).toBe(`crn:v1:bluemix:public:container-registry:jp-osa:a/${ACCOUNT}::image:team/app@sha256%3A${'3f'.repeat(32)}`);
    // The emitter runs in us-south; the log source stays there.
    expect(byDigest.logSourceCRN).toBe(`crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}:::`);
    const failed = await emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'icr.io/team/app:2' }, status: 401 });
    expect(failed.target).toMatchObject({ id: `crn:v1:bluemix:public:container-registry:us-east:a/${ACCOUNT}::image:team/app%3A2`, name: 'icr.io/team/app:2' });
    expect(failed.message).toBe('IBM Cloud Container Registry: pull image icr.io/team/app:2 -failure');
    expect(failed.reason).toEqual({ reasonCode: 401, reasonType: 'Unauthorized' });
  });

  it('namespace, exemption, other resources and the account get CRNs in the emitter region', async () => {
    const { emitter } = setup();
    const ns = await emitter.emit('namespace.create', { initiator: { id: 'IBMid-1' }, target: { type: 'namespace', name: 'team-a' }, status: 201 });
    expect(ns.target).toEqual({ id: `crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}::namespace:team-a`, name: 'team-a', typeURI: 'container-registry/namespace' });
    const ex = await emitter.emit('exemption.delete', { initiator: { id: 'IBMid-1' }, target: { type: 'exemption', id: '42' } });
    expect(ex.target).toMatchObject({ id: `crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}::exemption:42`, name: 'exemption-42' });
    const acct = await emitter.emit('plan.get', { initiator: { id: 'IBMid-1' } });
    expect(acct.target).toMatchObject({ id: `crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}:::`, name: `account-${ACCOUNT}` });
  });

  it('an exemption with a new id per event (composed from the kind\'s parts), its id written as a CRN segment', async () => {
    const { emitter } = setup();
    for (const [id, segment] of [['42', '42'], ['7f1c', '7f1c'], ['a:b%c', 'a%3Ab%25c']] as const) {
      const ex = await emitter.emit('exemption.create', { initiator: { id: 'IBMid-1' }, target: { type: 'exemption', id, name: `CVE-${id}` } });
      expect(ex.target).toEqual({ id: `crn:v1:bluemix:public:container-registry:us-south:a/${ACCOUNT}::exemption:${segment}`, name: `CVE-${id}`, typeURI: 'container-registry/exemption' });
      expect(ex.message).toBe(`IBM Cloud Container Registry: create exemption CVE-${id}`);
    }
  });

  it('a target name that is not a string is a clear error, not a crash', async () => {
    const { emitter } = setup();
    for (let i = 0; i < 2; i++) {
      const err = await emitter.emit('exemption.create', { initiator: { id: 'IBMid-1' }, target: { type: 'exemption', id: `x${i}`, name: 7 as never } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegtrailError);
      expect(err).toMatchObject({ code: 'BAD_TARGET', message: 'exemption name must be a string' });
    }
  });
});

describe('emitter: lifecycle and bad input', () => {
  it('refuses an action removed as of the clock date, and one not yet listed', async () => {
    const { emitter } = setup({ at: '2021-10-06T00:00:00Z' });
    const target = { type: 'image', reference: 'us.icr.io/ns/app:1' } as const;
    await expect(emitter.emit('image.build', { initiator: { id: 'IBMid-1' }, target })).rejects.toThrow(/removed on 2021-10-06/);
    const early = setup({ at: '2021-10-05T23:59:59Z' });
    await expect(early.emitter.emit('image.build', { initiator: { id: 'IBMid-1' }, target })).resolves.toMatchObject({ action: 'container-registry.image.build' });
    const before = setup({ at: '2021-01-06T12:00:00Z' });
    await expect(before.emitter.emit('signature.read', { initiator: { id: 'IBMid-1' }, requestData: { RequestParameters: { repository: 'us.icr.io/a/b', signatureMethod: 's', signatureObject: 'image' } } })).rejects.toThrow(/listed only from 2022-01-18/);
  });

  it('refuses the unclassified image.rm even while it was listed', async () => {
    const { emitter } = setup({ at: '2019-07-01T00:00:00Z' });
    const err = await emitter.emit('container-registry.image.rm' as never, { initiator: { id: 'IBMid-1' } } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegtrailError);
    expect((err as RegtrailError).code).toBe('UNCLASSIFIED_ACTION');
  });

  it('warns once per deprecated action', async () => {
    const warn = vi.fn();
    const { emitter } = setup({ at: '2020-05-01T00:00:00Z', warn });
    const target = { type: 'resource', resourceType: 'registrytoken', id: 't-1' } as const;
    await emitter.emit('registrytoken.get', { initiator: { id: 'IBMid-1' }, target });
    await emitter.emit('registrytoken.get', { initiator: { id: 'IBMid-1' }, target });
    await emitter.emit('registrytoken.list', { initiator: { id: 'IBMid-1' } });
    await emitter.emit('image.list', { initiator: { id: 'IBMid-1' } });
    expect(warn.mock.calls).toEqual([
      ['container-registry.registrytoken.get is deprecated since 2020-02-26 and removed on 2021-08-23'],
      ['container-registry.registrytoken.list is deprecated since 2020-02-26 and removed on 2021-08-23'],
    ]);
  });

  const IMAGE = { type: 'image', reference: 'us.icr.io/ns/app:1' } as const;
  it.each([
    [{ initiator: { id: 'someone' } }, /cannot tell what kind of caller/],
    [{ initiator: { id: 'IBMid-1', ip: 'not-an-ip' } }, /not an IPv4 or IPv6 address/],
    [{ initiator: { id: 'IBMid-1' }, target: IMAGE, outcome: 'success', status: 500 }, /4xx or 5xx status is a failure/],
    [{ initiator: { id: 'IBMid-1' }, target: IMAGE, status: 999 }, /not an HTTP status code/],
    [{ initiator: { id: 'IBMid-1' } }, /image\.pull acts on an image: give the target, such as \{ type: 'image', reference/],
    [{ initiator: { id: 'IBMid-1' }, target: { type: 'account' } }, /image\.pull acts on an image, not on an account/],
    [{ initiator: { id: 'IBMid-1' }, target: { type: 'namespace', name: 'team-a' } }, /image\.pull acts on an image, not on a namespace/],
    [{ initiator: { id: 'IBMid-1' }, target: { type: 'resource', resourceType: 'registrytoken', id: 't' } }, /image\.pull acts on an image, not on a registrytoken/],
    [{ initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'docker.io/library/nginx:1' } }, /not in a Container Registry region/],
    [{ initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/NS/app' } }, /must be lower case/],
    [{ initiator: { id: 'IBMid-1' }, target: { type: 'namespace', name: 'Bad Name' } }, /invalid namespace/],
    [{ initiator: { id: 'IBMid-1' }, target: IMAGE, requestData: '{"a":1}' }, /requestData must be a JSON object/],
  ])('bad input %j is a RegtrailError', async (input, message) => {
    const { emitter, sink } = setup();
    await expect(emitter.emit('image.pull', input as never)).rejects.toThrow(message);
    expect(sink.events).toHaveLength(0);
  });

  it('rejects unknown actions and bad options', () => {
    const { emitter } = setup();
    expect(() => emitter.build('image.pussh' as never, { initiator: { id: 'IBMid-1' } } as never)).toThrow(/unknown action "image.pussh"/);
    expect(() => createEmitter({ accountId: 'a:b', region: 'us-south', sink: memorySink() })).toThrow(/invalid account id/);
    expect(() => createEmitter({ accountId: 'a', region: 'mars', sink: memorySink() })).toThrow(/unknown region/);
  });

  it('types requestData from the catalog', () => {
    const { emitter } = setup();
    const target = { type: 'image', reference: 'us.icr.io/ns/app:1.0' } as const;
    const ok = emitter.build('image-vulnerability-report.read', {
      initiator: { id: 'IBMid-1' },
      target,
      requestData: { RequestParameters: { name: 'us.icr.io/ns/app:1.0' } },
      responseData: { status: 'OK' },
    });
    expect(ok.requestData).toEqual({ RequestParameters: { name: 'us.icr.io/ns/app:1.0' } });
    // @ts-expect-error requestData is required: the catalog lists request fields for this action
    expect(() => emitter.build('image-vulnerability-report.read', { initiator: { id: 'IBMid-1' }, target })).toThrow(/is required/);
    expect(() =>
      emitter.build('account-vulnerability-report.list', {
        initiator: { id: 'IBMid-1' },
        // @ts-expect-error includeIBM is "true" or "false"
        requestData: { RequestParameters: { repository: 'us.icr.io/a/b', includeIBM: 'yes', includePrivate: 'false' } },
      }),
    ).toThrow(/must be one of true, false/);
    // @ts-expect-error only catalog ids
    expect(() => emitter.build('image.frobnicate', { initiator: { id: 'IBMid-1' } })).toThrow(/unknown action/);
  });
});

describe('emitter: redaction', () => {
  it('redacts secrets at any depth, in arrays and in any case, without touching the caller', async () => {
    const { emitter } = setup();
    const requestData = {
      headers: { 'X-Auth-Token': 'abc', Accept: 'application/json', Cookie: 'c=1' },
      APIKey: 'k-123',
      nested: { password: 'hunter2', deeper: [{ client_secret: 's' }, { note: 'fine', Authorization: 'Bearer x' }] },
      list: [['a', { refresh_token: 't' }]],
      api_key: { any: 'object' },
      keep: 'visible',
    };
    const before = structuredClone(requestData);
    const event = await emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1' }, requestData });
    expect(requestData).toEqual(before);
    expect(event.requestData).toEqual({
      headers: { 'X-Auth-Token': '[REDACTED]', Accept: 'application/json', Cookie: '[REDACTED]' },
      APIKey: '[REDACTED]',
      nested: { password: '[REDACTED]', deeper: [{ client_secret: '[REDACTED]' }, { note: 'fine', Authorization: '[REDACTED]' }] },
      list: [['a', { refresh_token: '[REDACTED]' }]],
      api_key: '[REDACTED]',
      keep: 'visible',
    });
    // The event shares nothing with the caller's object.
    expect(event.requestData!.headers).not.toBe(requestData.headers);
    expect(validateEvent(event).ok).toBe(true);
  });
});
