import { describe, expect, it } from 'vitest';
import { crnProblem, formatCrn, formatEventTime, formatMessage, parseCrn, eventTimeProblem, severityFor, STATUS_SEVERITY, serializeEvent, redact } from '../index.js';

// The status-code table of the event model, as the facts state it.
const STATUS_TABLE: [number, string][] = [
  [400, 'warning'], [401, 'critical'], [403, 'critical'], [409, 'warning'], [424, 'warning'], [500, 'warning'],
  [502, 'warning'], [503, 'critical'], [504, 'warning'], [505, 'warning'], [507, 'critical'],
];

describe('severity', () => {
  it('has exactly the status-code table', () => expect(Object.entries(STATUS_SEVERITY).map(([k, v]) => [Number(k), v])).toEqual(STATUS_TABLE));
  it.each(STATUS_TABLE)('code %i is %s whatever the default', (code, severity) => {
    for (const d of ['normal', 'warning', 'critical'] as const) expect(severityFor(d, code >= 400 ? 'failure' : 'success', code)).toBe(severity);
  });
  it.each([
    ['normal', 'success', 200, 'normal'],
    ['critical', 'success', 200, 'critical'],
    ['normal', 'failure', 404, 'warning'],
    ['critical', 'failure', 404, 'critical'],
    ['warning', 'pending', 202, 'warning'],
  ] as const)('default %s, %s %i → %s', (d, outcome, code, expected) => expect(severityFor(d, outcome, code)).toBe(expected));
});

describe('event time', () => {
  it.each([
    ['2017-10-19T19:07:50.329Z', '2017-10-19T19:07:50.32+0000'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.99+0000'],
    ['2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.00+0000'],
  ])('%s → %s', (iso, expected) => {
    expect(formatEventTime(new Date(iso))).toBe(expected);
    expect(eventTimeProblem(expected)).toBeUndefined();
  });
  it.each(['2017-10-19T19:07:50.32Z', '2017-10-19 19:07:50.32+0000', '2017-10-19t19:07:50.32+0000', '2017-10-19T19:07:50.320+0000', '2017-10-19T19:07:50+0000', '2023-02-29T00:00:00.00+0000'])(
    '%s is not an event time',
    (text) => expect(eventTimeProblem(text)).toBeDefined(),
  );
  it('refuses dates it cannot write', () => expect(() => formatEventTime(new Date(NaN))).toThrow(/not a valid date/));
});

describe('CRN', () => {
  it('keeps empty segments and round-trips resources with colons', () => {
    const crn = formatCrn({ serviceName: 'container-registry', location: 'us-south', scope: 'a/acct', resourceType: 'image', resource: 'ns/app@sha256:ab' });
    expect(crn).toBe('crn:v1:bluemix:public:container-registry:us-south:a/acct::image:ns/app@sha256%3Aab');
    expect(crn.split(':')).toHaveLength(10);
    expect(parseCrn(crn)).toEqual({ cname: 'bluemix', ctype: 'public', serviceName: 'container-registry', location: 'us-south', scope: 'a/acct', serviceInstance: '', resourceType: 'image', resource: 'ns/app@sha256:ab' });
    expect(formatCrn({ serviceName: 'container-registry', location: 'us-south' })).toBe('crn:v1:bluemix:public:container-registry:us-south::::');
  });
  it.each(['crn:v1:bluemix:public:container-registry:us-south:::endpoint:us.icr.io', 'crn:v1:bluemix:public:container-registry:us-south:a/x::namespace:ns'])('%s is well formed', (c) => expect(crnProblem(c)).toBeUndefined());
  it.each(['crn:v1:bluemix:public:container-registry:us-south', 'crn:v2:bluemix:public:container-registry:us-south::::', 'urn:v1:a:b:c:d:e:f:g:h', 'crn:v1:::container-registry:us-south::::', 'crn:v1:bluemix:public:container-registry:us-south:a:b:c:d:e'])(
    '%s is not',
    (c) => {
      expect(crnProblem(c)).toBeDefined();
      expect(() => parseCrn(c)).toThrow(/CRN/);
    },
  );
});

describe('message', () => {
  it.each([
    ['push', 'image', 'us.icr.io/ns/app:1.0', 'success', 'IBM Cloud Container Registry: push image us.icr.io/ns/app:1.0'],
    ['delete', 'namespace', 'team', 'failure', 'IBM Cloud Container Registry: delete namespace team -failure'],
    ['list', 'account-vulnerability-report', 'account-1', 'pending', 'IBM Cloud Container Registry: list account-vulnerability-report account-1'],
  ] as const)('%s %s %s (%s)', (verb, object, name, outcome, expected) => expect(formatMessage('IBM Cloud Container Registry', verb, object, name, outcome)).toBe(expected));
});

describe('serializeEvent', () => {
  it('parses back to what JSON.stringify writes, escapes included', () => {
    const event = {
      action: 'a.b.c',
      initiator: { id: 'i"d', name: 'n\\ame\n', typeURI: 'service/security/account/user', credential: { type: 'token' }, host: { address: '', agent: 'curl/8 \u2028' }, authnId: 'x' },
      target: { id: 'crn', name: '\ud800lone', typeURI: 't/u', resourceGroupId: 'rg', host: { address: 'h' }, alias: 'al' },
      outcome: 'failure', reason: { reasonCode: 500, reasonType: 'Internal Server Error', reasonForFailure: 'x'.repeat(300) },
      severity: 'warning', eventTime: 't', message: 'm', logSourceCRN: 'l', saveServiceCopy: false, observer: { name: 'ActivityTracker' }, dataEvent: false,
      requestData: { a: [1, { b: null }] }, responseData: {}, id: 'id', correlationId: 'c',
    } as const;
    const line = serializeEvent(event as never);
    expect(line).toBe(JSON.stringify(event));
    expect(line).not.toContain('\n');
  });
});

describe('redact', () => {
  it('copies JSON-safely', () => {
    const cyclic: Record<string, unknown> = { when: new Date(0), n: 10n, f: () => 1, u: undefined, inf: Infinity };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ when: '1970-01-01T00:00:00.000Z', n: '10', inf: null, self: '[Circular]' });
  });

  it('keeps a "__proto__" key as data', () => {
    const input = JSON.parse('{"__proto__":{"token":"t","x":1}}') as Record<string, unknown>;
    const copy = redact(input);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"token":"[REDACTED]","x":1}}');
  });
});
