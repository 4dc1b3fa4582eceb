import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { content } from '../generated/content.js';
import { allActions, type Action } from '../catalog/catalog.js';
import { listRegions } from '../regions/regions.js';
import { CRN_SERVICE, crnProblem } from '../event/crn.js';
import { initiatorKindOf, INITIATOR_TYPE_URIS } from '../event/build.js';
import { REDACTED, SECRET_KEY } from '../event/redact.js';
import { STATUS_SEVERITY } from '../event/severity.js';
import { eventTimeProblem } from '../event/time.js';
import { commonEventSchema, eventSchema, LEGACY_FIELDS } from './schema.js';

/** One thing wrong with an event: where (a JSON pointer into the event, '' for the whole event) and what, in plain words. */
export interface Problem {
  path: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  problems: Problem[];
}

export interface ValidateOptions {
  /** Check that the action was listed (and not removed) on the event's date; true by default. */
  lifecycle?: boolean;
  /** Stop after this many problems; 100 by default. */
  maxProblems?: number;
}

// ajv is CommonJS; under NodeNext its default export arrives as module.exports.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The validator of one action's events (or of the common event for ''), compiled on first use and kept. */
function validatorFor(actionId: string): ValidateFunction {
  let fn = compiled.get(actionId);
  if (fn === undefined) {
    ajv ??= new Ajv2020({ allErrors: true, verbose: true, strict: true, allowMatchingProperties: true });
    fn = ajv.compile(actionId === '' ? commonEventSchema() : eventSchema(actionId));
    compiled.set(actionId, fn);
  }
  return fn;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const quote = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
};
const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);
const TYPE_WORDS: Record<string, string> = {
  object: 'a JSON object',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
};
const legacy = new Set<string>(LEGACY_FIELDS);

function describe(error: ErrorObject): Problem {
  const path = error.instancePath;
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}/${escapePointer(String(params.missingProperty))}`, message: 'is required' };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return {
        path: `${path}/${escapePointer(key)}`,
        message:
          path === '' && legacy.has(key)
            ? `is a field of the legacy (pre-October 2019) event form; the current form puts the CADF fields at the top level and has no ${key}`
            : 'is not a field of the event model',
      };
    }
    case 'type': {
      const expected = TYPE_WORDS[String(params.type)] ?? String(params.type);
      if (path === '') return { path, message: `the event must be a JSON object, not ${kindOf(error.data)}` };
      if (params.type === 'object' && typeof error.data === 'string' && /^\/(requestData|responseData)$/.test(path)) {
        return { path, message: 'must be a JSON object, not a string (stringified JSON is the legacy form)' };
      }
      return { path, message: `must be ${expected}, not ${kindOf(error.data)}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      return { path, message: `must be one of ${allowed.join(', ')}, not ${quote(error.data)}` };
    }
    case 'const':
      return { path, message: `must be ${quote(params.allowedValue)}${description ? ` (${description})` : ''}, not ${quote(error.data)}` };
    case 'pattern':
      return { path, message: `${description ?? `must match ${String(params.pattern)}`}, not ${quote(error.data)}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'minimum':
    case 'maximum':
      return { path, message: `${description ?? error.message ?? 'is out of range'}, not ${quote(error.data)}` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

const actionsById = new Map<string, Action>(allActions().map((a) => [a.id, a]));
const NOTHING_FLAGGED: ReadonlySet<string> = new Set<string>();
const crnLocations = new Set(listRegions().map((r) => r.crnLocation));
const messagePrefix = `${content.service.displayName}: `;

/** Rules a JSON Schema cannot express. `flagged` holds the paths the schema already reported. */
function ruleProblems(event: Record<string, unknown>, action: Action | undefined, flagged: ReadonlySet<string>, options: ValidateOptions, out: Problem[]): void {
  const add = (path: string, message: string) => {
    if (!flagged.has(path)) out.push({ path, message });
  };
  const a = event.action;
  if (typeof a === 'string' && action === undefined && !flagged.has('/action')) {
    add('/action', `unknown action ${quote(a)}: the ${CRN_SERVICE} catalog has never listed it (regtrail actions --all lists every action)`);
  }

  const eventTime = event.eventTime;
  let day: string | undefined;
  if (typeof eventTime === 'string' && !flagged.has('/eventTime')) {
    const problem = eventTimeProblem(eventTime);
    if (problem) add('/eventTime', problem);
    else day = eventTime.slice(0, 10);
  }
  if (action && day && options.lifecycle !== false) {
    if (day < action.since) add('/action', `${action.id} was not yet listed on ${day} (listed from ${action.since})`);
    else if (action.removed !== undefined && action.removed <= day) add('/action', `${action.id} was removed on ${action.removed}; it cannot occur on ${day}`);
  }

  const reason = event.reason as Record<string, unknown> | undefined;
  const code = reason && typeof reason === 'object' ? reason.reasonCode : undefined;
  const outcome = event.outcome;
  const severity = event.severity;
  if (typeof code === 'number' && !flagged.has('/reason/reasonCode')) {
    const bySeverity = STATUS_SEVERITY[code];
    if (typeof severity === 'string' && !flagged.has('/severity')) {
      if (bySeverity !== undefined && severity !== bySeverity) add('/severity', `must be ${bySeverity} for reason code ${code} (status-code table), not ${quote(severity)}`);
      else if (bySeverity === undefined && outcome === 'failure' && severity === 'normal') add('/severity', 'must be warning or critical for a failed request, not "normal"');
    }
    if (typeof outcome === 'string' && !flagged.has('/outcome')) {
      if (outcome === 'failure' && code < 400) add('/outcome', `is failure but reason code ${code} is not an error status (4xx or 5xx)`);
      else if (outcome !== 'failure' && code >= 400) add('/outcome', `is ${outcome} but reason code ${code} is an error status; the outcome must be failure`);
    }
  }
  if (outcome === 'failure' && reason && typeof reason === 'object' && !Array.isArray(reason) && reason.reasonType === undefined) {
    add('/reason/reasonType', 'is required when the outcome is failure');
  }

  const target = event.target as Record<string, unknown> | undefined;
  if (target && typeof target === 'object' && typeof target.id === 'string' && !flagged.has('/target/id')) {
    const problem = crnProblem(target.id) ?? crnContentProblem(target.id, 'target');
    if (problem) add('/target/id', problem);
  }
  if (typeof event.logSourceCRN === 'string' && !flagged.has('/logSourceCRN')) {
    const problem = crnProblem(event.logSourceCRN) ?? crnContentProblem(event.logSourceCRN, 'logSource');
    if (problem) add('/logSourceCRN', problem);
  }

  const initiator = event.initiator as Record<string, unknown> | undefined;
  if (initiator && typeof initiator === 'object' && typeof initiator.id === 'string' && typeof initiator.typeURI === 'string' && !flagged.has('/initiator/typeURI')) {
    const kind = initiatorKindOf(initiator.id);
    if (kind && INITIATOR_TYPE_URIS[kind] !== initiator.typeURI) {
      add('/initiator/typeURI', `must be ${INITIATOR_TYPE_URIS[kind]} for ${quote(initiator.id)}, not ${quote(initiator.typeURI)}`);
    }
  }

  if (action && typeof event.message === 'string' && !flagged.has('/message') && target && typeof target.name === 'string') {
    const expected = `${messagePrefix}${action.verb} ${action.objectType} ${target.name}`;
    if (!event.message.startsWith(expected)) add('/message', `must start with ${quote(expected)} (service display name: verb objectType target.name), not ${quote(event.message)}`);
    else if (outcome === 'failure' && !event.message.endsWith(' -failure')) add('/message', 'must end with " -failure" when the outcome is failure');
    else if (outcome === 'success' && / -(failure|warning)$/.test(event.message)) add('/message', 'must not end with -failure or -warning when the outcome is success');
  }

  for (const root of ['requestData', 'responseData'] as const) {
    const data = event[root];
    if (data && typeof data === 'object' && !flagged.has(`/${root}`)) findSecrets(data, `/${root}`, out);
  }
}

function crnContentProblem(crn: string, which: 'target' | 'logSource'): string | undefined {
  // Well formed already: ten segments. Find the service, location, scope and resource-type fields.
  const service = crn.indexOf(':', crn.indexOf(':', 7) + 1) + 1;
  const location = crn.indexOf(':', service) + 1;
  const scope = crn.indexOf(':', location) + 1;
  const instance = crn.indexOf(':', scope) + 1;
  const resourceType = crn.indexOf(':', instance) + 1;
  const resource = crn.indexOf(':', resourceType) + 1;
  const serviceName = crn.slice(service, location - 1);
  if (serviceName !== CRN_SERVICE) return `must be a CRN of the ${CRN_SERVICE} service, not of ${quote(serviceName)}`;
  const loc = crn.slice(location, scope - 1);
  if (!crnLocations.has(loc)) return `has location ${quote(loc)}, which is no region's CRN location (such as us-south, or us-east for the global registry)`;
  const sc = crn.slice(scope, instance - 1);
  if (!ACCOUNT_SCOPE.test(sc)) return `must be account-scoped (a/<accountId>), not scope ${quote(sc)}`;
  if (which === 'target' && resource < crn.length && resource - 1 === resourceType) return 'names a resource but no resource type';
  return undefined;
}
const ACCOUNT_SCOPE = /^a\/[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Secret-looking keys whose values were not redacted; bounded so that huge data cannot stall. */
function findSecrets(root: object, rootPath: string, out: Problem[]): void {
  const budget = { nodes: 10_000 };
  const keys: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || depth > 32 || budget.nodes-- <= 0) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        keys.push(String(i));
        visit(value[i], depth + 1);
        keys.pop();
      }
      return;
    }
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (SECRET_KEY.test(key)) {
        if (item !== REDACTED && item !== null && item !== '') {
          out.push({ path: `${rootPath}/${[...keys, key].map(escapePointer).join('/')}`, message: `looks like a secret and must be redacted (${REDACTED})` });
        }
      } else if (item !== null && typeof item === 'object') {
        keys.push(key);
        visit(item, depth + 1);
        keys.pop();
      }
    }
  };
  visit(root, 0);
}

/**
 * Validates one event against the schema of its action and the rules the schema cannot express
 * (lifecycle by eventTime, severity by status code, event time and CRN details, failure without
 * reasonType, message, secrets). Returns every problem found; never throws.
 */
export function validateEvent(event: unknown, options: ValidateOptions = {}): ValidationResult {
  const problems: Problem[] = [];
  try {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      return { ok: false, problems: [{ path: '', message: `the event must be a JSON object, not ${kindOf(event)}` }] };
    }
    const record = event as Record<string, unknown>;
    const actionId = record.action;
    const action = typeof actionId === 'string' ? actionsById.get(actionId) : undefined;
    const validate = validatorFor(action ? action.id : '');
    let flagged = NOTHING_FLAGGED;
    if (!validate(event)) {
      flagged = new Set<string>();
      const seen = new Set<string>();
      for (const error of validate.errors ?? []) {
        // allOf/if wrappers repeat what their inner keywords said.
        if (error.keyword === 'if' || error.keyword === 'allOf') continue;
        const p = describe(error);
        const key = `${p.path}\u0000${p.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(p);
        (flagged as Set<string>).add(p.path);
      }
    }
    ruleProblems(record, action, flagged, options, problems);
  } catch (err) {
    problems.push({ path: '', message: `could not be validated: ${err instanceof Error ? err.message : String(err)}` });
  }
  const max = options.maxProblems ?? 100;
  if (problems.length > max) problems.length = max;
  return { ok: problems.length === 0, problems };
}
