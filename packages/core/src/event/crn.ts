import { RegtrailError } from '../errors.js';
import { EVENT_MODEL } from '../generated/event-model.js';

/**
 * Cloud Resource Names: `crn:v1:<cname>:<ctype>:<service-name>:<location>:<scope>:<service-instance>:<resource-type>:<resource>`,
 * exactly ten colon-separated segments; empty segments are kept. A segment value that itself
 * holds `:` or `%` (an image digest such as `sha256:…`) is written with those characters
 * percent-encoded (`%3A`, `%25`) so that the ten segments stay unambiguous; `parseCrn` decodes them.
 */
export interface Crn {
  cname: string;
  ctype: string;
  serviceName: string;
  location: string;
  /** `a/<accountId>` for account-scoped resources, or empty. */
  scope: string;
  serviceInstance: string;
  resourceType: string;
  resource: string;
}

/** The service name of every CRN this library writes. */
export const CRN_SERVICE = 'container-registry';

/** Ten colon-separated segments, the first two `crn` and `v1`, cname/ctype/service not empty (the event model's `crn` pattern). */
export const CRN_PATTERN: string = EVENT_MODEL.patterns.crn;

/** A segment as a CRN writes it: `%` and `:` percent-encoded (so that it holds no colon). */
export const encodeSegment = (segment: string): string =>
  segment.includes(':') || segment.includes('%') ? segment.replace(/%/g, '%25').replace(/:/g, '%3A') : segment;
const decode = (segment: string): string => (segment.includes('%') ? segment.replace(/%3A/gi, ':').replace(/%25/g, '%') : segment);

/** Writes a public-cloud CRN (cname `bluemix`, ctype `public` unless given). */
export function formatCrn(parts: Partial<Crn> & Pick<Crn, 'serviceName'>): string {
  return [
    'crn',
    'v1',
    encodeSegment(parts.cname ?? 'bluemix'),
    encodeSegment(parts.ctype ?? 'public'),
    encodeSegment(parts.serviceName),
    encodeSegment(parts.location ?? ''),
    encodeSegment(parts.scope ?? ''),
    encodeSegment(parts.serviceInstance ?? ''),
    encodeSegment(parts.resourceType ?? ''),
    encodeSegment(parts.resource ?? ''),
  ].join(':');
}

/** The scope segment of an account-scoped resource. */
export function accountScope(accountId: string): string {
  return `a/${accountId}`;
}

/** Why `text` is not a well-formed CRN, or undefined when it is. */
export function crnProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'must be a CRN string such as crn:v1:bluemix:public:container-registry:us-south:a/<account>::namespace:<name>';
  if (!text.startsWith('crn:v1:')) return 'is not a CRN: it must start with crn:v1:';
  // Count the segments without splitting: this runs for every event validated.
  let segments = 1;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) segments++;
  if (segments !== 10) {
    return `is not a well-formed CRN: it has ${segments} colon-separated segments, a CRN has ten (crn:v1:cname:ctype:service-name:location:scope:service-instance:resource-type:resource)`;
  }
  const cname = 7;
  const ctype = text.indexOf(':', cname);
  const service = text.indexOf(':', ctype + 1);
  const location = text.indexOf(':', service + 1);
  if (ctype === cname || service === ctype + 1 || location === service + 1) return 'is not a well-formed CRN: cname, ctype and service name must not be empty';
  return undefined;
}

/** Parses a CRN; throws a RegtrailError saying what is wrong. */
export function parseCrn(text: string): Crn {
  const problem = crnProblem(text);
  if (problem) throw new RegtrailError('BAD_CRN', `${JSON.stringify(text)} ${problem}`);
  const s = text.split(':').map(decode);
  return {
    cname: s[2]!,
    ctype: s[3]!,
    serviceName: s[4]!,
    location: s[5]!,
    scope: s[6]!,
    serviceInstance: s[7]!,
    resourceType: s[8]!,
    resource: s[9]!,
  };
}
