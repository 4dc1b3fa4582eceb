import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { allActions, getAction, type Action } from '../catalog/catalog.js';
import { CRN_SERVICE, crnProblem } from '../event/crn.js';
import { EVENT_FIELDS, initiatorKindOf, INITIATOR_TYPE_URIS, STATUS_SEVERITY } from '../event/model.js';
import { EVENT_MODEL, readRuleFields, RULE_FIELDS } from '../generated/event-model.js';
import { isSecretKey, MAX_DEPTH, REDACTED } from '../event/redact.js';
import { actionVariant, dataSchema, type JsonSchema } from './schema.js';
import { checkedCommonShape, PATTERN_CHECKS } from './rule-patterns.js';
import { EVENT_CHECKS, EVENT_CLEAN_CHECKS, type RuleHelpers } from '../generated/event-checks.js';
import { escapePointer, unknownField, unknownFields } from './fields.js';
import { ACCOUNT_SCOPE, CRN_LOCATIONS, crnShapeSource, DEFAULT_DISPLAY_NAME, FAILURE_SUFFIX, forbiddenUnits, messageHead, TARGET_CRN_FIELD } from './rule-facts.js';
import { cleanMemo, measured, patternMemo, verdicts } from '../hot-state.js';
import { compactLength } from './duplicate-keys.js';
import type { ActivityEvent } from '../event/types.js';

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
  /**
   * Skip the search for unredacted secrets in requestData/responseData. For callers that redacted
   * the data themselves with the same rule (the emitter does), where the search cannot find anything.
   */
  secretsRedacted?: boolean;
  /** The service display name messages start with (as createEmitter's option); the catalog's by default. */
  serviceDisplayName?: string;
}

// ajv is CommonJS; under NodeNext its default export arrives as module.exports.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new Map<string, ValidateFunction>();
const COMMON_ID = 'urn:regtrail:schema:event:common';

/**
 * The common schema as the validator compiles it: the published schema, generated from the same
 * event model, less three kinds of keyword that rules generated from that model check instead,
 * faster or with better messages than ajv's generic code:
 * - `minLength: 1` of every non-empty field (NON_EMPTY);
 * - `additionalProperties: false` of every closed object (fields.ts, "no other fields");
 * - the patterns that have a rule (PATTERN_CHECKS, rule-patterns.ts): the CRN shape, the form of
 *   eventTime, the action (a catalog action, whose id the content loader checked against the
 *   pattern) and target.typeURI (the action's variant requires its exact value; the pattern otherwise).
 * A differential test (differential.test.ts) holds the validator to rejecting whatever the
 * published schema rejects. Descriptions say what a field is; problems say what is wrong.
 */
function internalCommonSchema(): JsonSchema {
  return { $id: COMMON_ID, ...checkedCommonShape(false) };
}

/**
 * The validator of one action's events (or of the common event for ''), compiled on first use and
 * kept. The common event is compiled once and referenced, not inlined, by every action's variant.
 */
function validatorFor(actionId: string): ValidateFunction {
  let fn = compiled.get(actionId);
  if (fn === undefined) {
    if (ajv === undefined) {
      ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, inlineRefs: false });
      ajv.addSchema(internalCommonSchema());
    }
    fn =
      actionId === ''
        ? ajv.getSchema(COMMON_ID)!
        : ajv.compile({ $id: `urn:regtrail:validator:${actionId}`, allOf: [{ $ref: COMMON_ID }, actionVariant(getAction(actionId))] });
    compiled.set(actionId, fn);
  }
  return fn;
}

/** Characters JSON.stringify leaves as they are that would still act on a reader's terminal: C1 controls and bidirectional marks. */
const UNSHOWN = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** A value as it appears in a problem: JSON, cut at 80 characters, with nothing left that acts on a terminal. */
const quote = (value: unknown) => {
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  const text = json.replace(UNSHOWN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
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

/** What a value breaking a field's pattern or range must be, by the field's path in the event. */
const RULE_MESSAGES: Readonly<Record<string, string>> = {
  '/eventTime': 'must be UTC written YYYY-MM-DDTHH:mm:ss.SS+0000 (two fraction digits), such as 2017-10-19T19:07:50.32+0000',
  '/reason/reasonCode': 'must be an HTTP status code (100-599)',
};

/** What a value breaking a pattern of the model must be, by the pattern's source. */
const PATTERN_MESSAGES = new Map<string, string>([
  [EVENT_MODEL.patterns.text, 'must not hold control characters (such as a line break or an escape sequence) or bidirectional marks and overrides: they can forge a log line or reorder what a reader sees'],
]);

function describe(error: ErrorObject): Problem {
  const path = error.instancePath;
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}/${escapePointer(String(params.missingProperty))}`, message: 'is required' };
    case 'additionalProperties':
      return unknownField(path, String(params.additionalProperty));
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
    case 'pattern': {
      // The value is not shown where it may hold characters that would act on the reader's terminal.
      const byPattern = PATTERN_MESSAGES.get(String(params.pattern));
      if (byPattern !== undefined) return { path, message: byPattern };
      return { path, message: `${RULE_MESSAGES[path] ?? `must match ${String(params.pattern)}`}, not ${quote(error.data)}` };
    }
    case 'minLength':
    case 'not':
      return { path, message: 'must not be empty' };
    case 'minimum':
    case 'maximum':
      return { path, message: `${RULE_MESSAGES[path] ?? error.message ?? 'is out of range'}, not ${quote(error.data)}` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

/**
 * Each action with its fast check (generated, src/generated/event-checks.ts) and its ajv validator,
 * compiled on first use. The fast check answers true only for an event that ajv and the
 * no-other-fields rule would both accept; any other event (invalid, or one it is not sure of) goes
 * to them, for the problems. fast-check.test.ts holds it to agreeing with ajv.
 */
interface Entry {
  readonly action: Action;
  readonly fast: (event: unknown, m: typeof measured, compact: (value: unknown, depth: number) => number) => boolean;
  /** The generated whole-event check (EVENT_CLEAN_CHECKS): true only when `fast` passes and ruleProblems would find nothing. */
  readonly clean: (event: unknown, m: typeof measured, compact: (value: unknown, depth: number) => number, lifecycle: boolean, h: RuleHelpers, textLength: number) => boolean;
  validate?: ValidateFunction;
}
/** compactLength for the fast check's measure (hot-state.ts, measured): NaN where it answers -1. */
const compactOrNaN = (value: unknown, depth: number) => {
  const n = compactLength(value, depth);
  return n < 0 ? Number.NaN : n;
};

/**
 * The compact length of an event that validateEvent has just checked (duplicate-keys.ts,
 * compactLength; NaN where that answers -1), as the generated check measured it; undefined when
 * the check did not measure this event (it did not pass the common check, or was not run).
 */
export function measuredLength(event: unknown): number | undefined {
  return measured.of === event ? measured.length : undefined;
}
/**
 * The entries by the length of their action id. An event parsed from JSON brings its own copy of
 * the id, which a Map would hash on every lookup (its hash is not kept between events); the few
 * ids of one length are compared instead, each comparison a block compare.
 */
const entriesByLength: Entry[][] = [];
for (const a of allActions()) (entriesByLength[a.id.length] ??= []).push({ action: a, fast: EVENT_CHECKS.get(a.id)!, clean: EVENT_CLEAN_CHECKS.get(a.id)! });
function entryOf(id: string): Entry | undefined {
  const list = entriesByLength[id.length];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) if (list[i]!.action.id === id) return list[i];
  return undefined;
}
const NOTHING_FLAGGED: ReadonlySet<string> = new Set<string>();
/** The CRNs that crnIssue accepts, as one regular expression each (rule-facts.ts, crnShapeSource). */
const crnShape = (isTarget: boolean) => new RegExp(crnShapeSource(isTarget));
const CRN_SHAPES = { target: crnShape(true), other: crnShape(false) };
/** `<display name>: <verb> <objectType> ` of each action, for one display name. */
const headsFor = (displayName: string) => new Map<string, string>(allActions().map((a) => [a.id, messageHead(a, displayName)]));
const defaultHeads = headsFor(DEFAULT_DISPLAY_NAME);
function messageHeads(displayName: string | undefined): Map<string, string> {
  if (displayName === undefined || displayName === DEFAULT_DISPLAY_NAME) return defaultHeads;
  const other = verdicts.otherHeads;
  if (other?.name === displayName) return other.heads;
  return (verdicts.otherHeads = { name: displayName, heads: headsFor(displayName) }).heads;
}

const SEVERITY_BY_CODE: (string | undefined)[] = Array.from({ length: 600 }, (_, code) => STATUS_SEVERITY[code]);

/** A field of the event model where a rule reads it: its JSON pointer, and its place in RULE_FIELDS (read by the generated readRuleFields). */
interface FieldAt {
  readonly pointer: string;
  readonly index: number;
}

function fieldAt(path: string): FieldAt {
  const index = (RULE_FIELDS as readonly string[]).indexOf(path);
  if (index < 0) throw new Error(`the generated readRuleFields does not read ${path}`);
  return { pointer: `/${path.split('.').map(escapePointer).join('/')}`, index };
}

/** Scratch for the values the rules read from the event being checked (overwritten by every call). */
const values: unknown[] = [];

/** Strings the event model says must not be empty (minLength 1 in the published schema), checked by this rule. */
const NON_EMPTY: FieldAt[] = EVENT_FIELDS.filter((f) => f.nonEmpty).map((f) => fieldAt(f.path));

/**
 * The model's patterns that a rule checks instead of ajv (PATTERN_CHECKS, rule-patterns.ts): each rule rejects
 * whatever its pattern rejects (the differential test holds them to it) and says more. Patterns
 * without a rule stay with ajv. `none` is no check (for the tests that sabotage a rule).
 * - action: a catalog action (the content loader checked every id against the pattern);
 * - typeURI: the action's variant requires the catalog's type URI (checked against the pattern
 *   on load); the pattern itself when the action is unknown;
 * - crn: the CRN's shape (ten segments), then its service, location and account scope;
 * - eventTime: the form, then whether the date and time exist;
 * - text: no character the pattern's class excludes, by UTF-16 unit, from a table read from the
 *   pattern itself (textRule) and searched for as one character class.
 */
const TYPE_URI = new RegExp(EVENT_MODEL.patterns.typeURI, 'u');

/**
 * The check of the `text` pattern, `^[^<class>]*$`: the UTF-16 units of the class (`\uXXXX`
 * or single characters, and ranges of them) marked in a table, read from the pattern in the
 * event model. A pattern of another shape is checked as a regular expression (with ajv's `u` flag).
 */
export function textRule(pattern: string): (value: string) => boolean {
  const units = forbiddenUnits(pattern);
  if (units === undefined) {
    const re = new RegExp(pattern, 'u');
    return (value) => re.test(value);
  }
  if (units === '') return () => true;
  const forbidden = new RegExp(units);
  return (value) => !forbidden.test(value);
}
const textOk = textRule(EVENT_MODEL.patterns.text);
const TEXT_MESSAGE = PATTERN_MESSAGES.get(EVENT_MODEL.patterns.text)!;

interface PatternRule extends FieldAt {
  check: (typeof PATTERN_CHECKS)[keyof typeof PATTERN_CHECKS];
  /** The target's CRN may name a resource; logSourceCRN is checked alike otherwise. */
  readonly isTarget: boolean;
  /** The last value of the field and its verdict (hot-state.ts). */
  readonly memo: [string | undefined, string | undefined];
}

/** The fields whose pattern a rule checks, each with its rule and the last verdict. */
const PATTERN_RULES: PatternRule[] = EVENT_FIELDS.filter((f) => f.pattern !== undefined && f.pattern !== 'none' && f.pattern in PATTERN_CHECKS).map((f) => {
  const at = fieldAt(f.path);
  return { ...at, check: PATTERN_CHECKS[f.pattern as keyof typeof PATTERN_CHECKS], isTarget: f.path === TARGET_CRN_FIELD, memo: patternMemo(at.pointer) };
});

/** The walk secretsFree reuses (one at a time: the validator is synchronous). */
const FREE_WALK: SecretWalk = { keys: [], budget: 0, rootPath: '', out: undefined };
/**
 * Whether data holds no secret-looking key whose value is not redacted, at any depth: what
 * findSecrets would find nothing in. false also where it is not sure (deeper than MAX_DEPTH, or
 * more than findSecrets' budget of objects), so that findSecrets decides.
 */
function secretsFree(data: object): boolean {
  FREE_WALK.budget = SECRETS_BUDGET_START;
  FREE_WALK.keys.length = 0;
  return visitSecrets(data, 0, FREE_WALK);
}
/** What the generated rule check borrows from the hand-written rules: the calendar and the search for secrets. */
const RULE_HELPERS: RuleHelpers = {
  time: (t) => realTimeProblem(t) === undefined,
  secretsFree,
  memo: cleanMemo,
};

/**
 * The rules generated from the model, for the tests that sabotage one of them, and whether the
 * generated fast check and rule check are used (the tests compare the problems found with and
 * without them, and load rule checks compiled from changed facts with the same helpers). Never
 * changed otherwise.
 */
export const GENERATED_RULES = { nonEmpty: NON_EMPTY, patterns: PATTERN_RULES, fastCheck: true, ruleCheck: true, ruleHelpers: RULE_HELPERS, crnShapes: CRN_SHAPES };

function add(out: Problem[], flagged: ReadonlySet<string>, path: string, message: string): void {
  if (!flagged.has(path)) out.push({ path, message });
}

/**
 * Whether `s` holds `part` at `at`. Node 20's String#startsWith compares one character at a time
 * (about 150 ns for a message head), and a slice compared with === costs an allocation and a
 * comparison of a sliced string; indexOf from `at` compares as a block where `part` is there
 * (the usual case), and otherwise searches on only as far as the end of `s`.
 */
const holdsAt = (s: string, part: string, at: number): boolean => s.length >= at + part.length && s.indexOf(part, at) === at;

/** The two-digit number at `i` of a string known to hold digits there. */
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

const isDigit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** What is wrong with an event time: its form (EVENT_TIME_PATTERN), then whether the date and time exist. */
function eventTimeIssue(t: string): string | undefined {
  // The events of a stream share the minute of the last good time (hot-state.ts, verdicts.timeMinute):
  // then only the seconds, their hundredths and the zone are left to check.
  const minute = verdicts.timeMinute;
  if (
    minute !== undefined && t.length === 27 && holdsAt(t, minute, 0) &&
    isDigit(t, 17) && isDigit(t, 18) && t.charCodeAt(19) === 46 && isDigit(t, 20) && isDigit(t, 21) && holdsAt(t, '+0000', 22) && two(t, 17) <= 59
  ) {
    return undefined;
  }
  const issue = fullEventTimeIssue(t);
  if (issue === undefined) verdicts.timeMinute = t.slice(0, 17);
  return issue;
}

function fullEventTimeIssue(t: string): string | undefined {
  const formOk =
    t.length === 27 &&
    isDigit(t, 0) && isDigit(t, 1) && isDigit(t, 2) && isDigit(t, 3) && t.charCodeAt(4) === 45 &&
    isDigit(t, 5) && isDigit(t, 6) && t.charCodeAt(7) === 45 && isDigit(t, 8) && isDigit(t, 9) && t.charCodeAt(10) === 84 &&
    isDigit(t, 11) && isDigit(t, 12) && t.charCodeAt(13) === 58 && isDigit(t, 14) && isDigit(t, 15) && t.charCodeAt(16) === 58 &&
    isDigit(t, 17) && isDigit(t, 18) && t.charCodeAt(19) === 46 && isDigit(t, 20) && isDigit(t, 21) && t.endsWith('+0000');
  if (!formOk) return `${RULE_MESSAGES['/eventTime']}, not ${quote(t)}`;
  return realTimeProblem(t);
}

// Events of one burst share their event time (the emitter writes one string per hundredth of a second).
function eventTimeIssueMemo(t: string): string | undefined {
  const v = verdicts;
  if (t !== v.time) {
    v.timeIssue = eventTimeIssue(t);
    v.time = t;
  }
  return v.timeIssue;
}

/** Whether a well-formed event time names a real date and time. */
function realTimeProblem(t: string): string | undefined {
  const y = two(t, 0) * 100 + two(t, 2);
  const mo = two(t, 5);
  const d = two(t, 8);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days) return `${t.slice(0, 10)} is not a real calendar date`;
  if (two(t, 11) > 23 || two(t, 14) > 59 || two(t, 17) > 59) return `${t.slice(11, 19)} is not a real time of day`;
  return undefined;
}

/** Rules a JSON Schema cannot express. `flagged` holds the paths the schema already reported. */
function ruleProblems(event: Record<string, unknown>, action: Action | undefined, flagged: ReadonlySet<string>, options: ValidateOptions, out: Problem[]): void {
  const clean = flagged.size === 0;
  readRuleFields(event, values);
  for (let i = 0; i < NON_EMPTY.length; i++) {
    const rule = NON_EMPTY[i]!;
    if (values[rule.index] === '') add(out, flagged, rule.pointer, 'must not be empty');
  }
  let timeOk = false;
  for (let i = 0; i < PATTERN_RULES.length; i++) {
    const rule = PATTERN_RULES[i]!;
    const value = values[rule.index];
    if (typeof value !== 'string' || (!clean && flagged.has(rule.pointer))) continue;
    let problem: string | undefined;
    switch (rule.check) {
      case PATTERN_CHECKS.action:
        if (action === undefined) problem = `unknown action ${quote(value)}: the ${CRN_SERVICE} catalog has never listed it (regtrail actions --all lists every action)`;
        break;
      case PATTERN_CHECKS.typeURI:
        if (action === undefined && !TYPE_URI.test(value)) problem = `must match ${EVENT_MODEL.patterns.typeURI}, not ${quote(value)}`;
        break;
      case PATTERN_CHECKS.crn:
        problem = crnIssueMemo(value, rule.isTarget, rule.memo);
        break;
      case PATTERN_CHECKS.eventTime:
        problem = eventTimeIssueMemo(value);
        timeOk = problem === undefined;
        break;
      case PATTERN_CHECKS.text: {
        // Messages and names repeat from event to event: the last verdict of the field is kept.
        const memo = rule.memo;
        if (memo[0] !== value) {
          memo[1] = textOk(value) ? undefined : TEXT_MESSAGE;
          memo[0] = value;
        }
        problem = memo[1];
        break;
      }
    }
    if (problem) add(out, flagged, rule.pointer, problem);
  }

  const eventTime = event.eventTime;
  if (typeof eventTime === 'string') {
    // A well-formed event time (YYYY-MM-DDT…) compares with a day (YYYY-MM-DD) as its own first ten
    // characters do: the day is cut out only for a message.
    if (timeOk && action && options.lifecycle !== false && (eventTime < action.since || (action.removed !== undefined && action.removed <= eventTime))) {
      const day = eventTime.slice(0, 10);
      if (day < action.since) add(out, flagged, '/action', `${action.id} was not yet listed on ${day} (listed from ${action.since})`);
      else if (action.removed !== undefined && action.removed <= day) add(out, flagged, '/action', `${action.id} was removed on ${action.removed}; it cannot occur on ${day}`);
    }
  }

  const reason = event.reason as Record<string, unknown> | undefined;
  const code = reason !== null && typeof reason === 'object' ? reason.reasonCode : undefined;
  const outcome = event.outcome;
  const severity = event.severity;
  if (typeof code === 'number' && (clean || !flagged.has('/reason/reasonCode'))) {
    const bySeverity = code >= 100 && code <= 599 ? SEVERITY_BY_CODE[code] : undefined;
    if (typeof severity === 'string' && (clean || !flagged.has('/severity'))) {
      if (bySeverity !== undefined) {
        if (severity !== bySeverity) add(out, flagged, '/severity', `must be ${bySeverity} for reason code ${code} (status-code table), not ${quote(severity)}`);
      } else if (outcome === 'failure' && severity === 'normal') add(out, flagged, '/severity', 'must be warning or critical for a failed request, not "normal"');
    }
    if (typeof outcome === 'string' && (clean || !flagged.has('/outcome'))) {
      if (outcome === 'failure') {
        if (code < 400) add(out, flagged, '/outcome', `is failure but reason code ${code} is not an error status (4xx or 5xx)`);
      } else if (code >= 400) add(out, flagged, '/outcome', `is ${outcome} but reason code ${code} is an error status; the outcome must be failure`);
    }
  }
  if (outcome === 'failure' && reason !== null && typeof reason === 'object' && !Array.isArray(reason) && reason.reasonType === undefined) {
    add(out, flagged, '/reason/reasonType', 'is required when the outcome is failure');
  }

  const target = event.target as Record<string, unknown> | undefined;
  const targetOk = target !== null && typeof target === 'object';

  const initiator = event.initiator as Record<string, unknown> | undefined;
  if (initiator !== null && typeof initiator === 'object' && typeof initiator.id === 'string' && typeof initiator.typeURI === 'string' && (clean || !flagged.has('/initiator/typeURI'))) {
    const kind = initiatorKindOf(initiator.id);
    if (kind && INITIATOR_TYPE_URIS[kind] !== initiator.typeURI) {
      add(out, flagged, '/initiator/typeURI', `must be ${INITIATOR_TYPE_URIS[kind]} for ${quote(initiator.id)}, not ${quote(initiator.typeURI)}`);
    }
  }

  const message = event.message;
  if (action && typeof message === 'string' && (clean || !flagged.has('/message')) && targetOk && typeof target.name === 'string') {
    const problem = messageIssueMemo(message, messageHeads(options.serviceDisplayName).get(action.id)!, target.name, typeof outcome === 'string' ? outcome : '');
    if (problem) add(out, flagged, '/message', problem);
  }

  if (options.secretsRedacted) return;
  const requestData = event.requestData;
  if (requestData !== null && typeof requestData === 'object' && (clean || !flagged.has('/requestData'))) findSecrets(requestData, '/requestData', out);
  const responseData = event.responseData;
  if (responseData !== null && typeof responseData === 'object' && (clean || !flagged.has('/responseData'))) findSecrets(responseData, '/responseData', out);
}

/** What is wrong with a message, given its action's head (`<display name>: <verb> <objectType> `), the target's name and the outcome. */
function messageIssue(message: string, head: string, name: string, outcome: string): string | undefined {
  if (!holdsAt(message, head, 0) || !holdsAt(message, name, head.length)) {
    return `must start with ${quote(head + name)} (service display name: verb objectType target.name), not ${quote(message)}`;
  }
  if (outcome === 'failure') return message.endsWith(FAILURE_SUFFIX) ? undefined : `must end with ${quote(FAILURE_SUFFIX)} when the outcome is failure`;
  if (outcome === 'success' && message.length > head.length + name.length && / -(failure|warning)$/.test(message)) {
    return 'must not end with -failure or -warning when the outcome is success';
  }
  return undefined;
}

// Events of one action on one resource share their message (the emitter writes it once), and most
// events of a stream their logSourceCRN, many their target: the last verdict on each is kept
// (hot-state.ts, verdicts).
function messageIssueMemo(message: string, head: string, name: string, outcome: string): string | undefined {
  const m = verdicts.message;
  if (message !== m.message || head !== m.head || name !== m.name || outcome !== m.outcome) {
    m.issue = messageIssue(message, head, name, outcome);
    m.message = message;
    m.head = head;
    m.name = name;
    m.outcome = outcome;
  }
  return m.issue;
}

const colons = new Int32Array(10);



function crnIssueMemo(crn: string, isTarget: boolean, memo: [string | undefined, string | undefined]): string | undefined {
  if (memo[0] === crn) return memo[1];
  const issue = (isTarget ? CRN_SHAPES.target : CRN_SHAPES.other).test(crn) ? undefined : crnIssue(crn, isTarget);
  memo[0] = crn;
  memo[1] = issue;
  return issue;
}

/** What is wrong with the service-instance, resource-type and resource segments, which start at `from`. */
function tailIssue(crn: string, from: number, isTarget: boolean): string | undefined {
  const typeAt = crn.indexOf(':', from) + 1;
  const resourceAt = typeAt === 0 ? 0 : crn.indexOf(':', typeAt) + 1;
  if (resourceAt === 0 || crn.indexOf(':', resourceAt) >= 0) return crnProblem(crn);
  if (isTarget && resourceAt === typeAt + 1 && resourceAt < crn.length) return 'names a resource but no resource type';
  return undefined;
}

/**
 * What is wrong with a CRN of this service, if anything: its shape (ten segments; one pass that
 * notes where each segment starts), then its service name, location and account scope.
 */
function crnIssue(crn: string, isTarget: boolean): string | undefined {
  let n = 0;
  for (let i = crn.indexOf(':'); i >= 0; i = crn.indexOf(':', i + 1)) {
    if (n < 10) colons[n] = i;
    n++;
  }
  if (n !== 9 || !holdsAt(crn, 'crn:v1:', 0) || colons[2]! === colons[1]! + 1 || colons[3]! === colons[2]! + 1 || colons[4]! === colons[3]! + 1) return crnProblem(crn);
  const service = colons[3]! + 1;
  if (colons[4]! - service !== CRN_SERVICE.length || !holdsAt(crn, CRN_SERVICE, service)) {
    return `must be a CRN of the ${CRN_SERVICE} service, not of ${quote(crn.slice(service, colons[4]))}`;
  }
  const loc = crn.slice(colons[4]! + 1, colons[5]);
  if (!CRN_LOCATIONS.has(loc)) return `has location ${quote(loc)}, which is no region's CRN location (such as us-south, or us-east for the global registry)`;
  const scope = crn.slice(colons[5]! + 1, colons[6]);
  if (!ACCOUNT_SCOPE.test(scope)) return `must be account-scoped (a/<accountId>), not scope ${quote(scope)}`;
  return tailIssue(crn, colons[6]! + 1, isTarget);
}

/** How many objects the search for secrets visits in one request or response data, at most. */
const SECRETS_BUDGET_START = 10_000;

/** Secret-looking keys whose values were not redacted; bounded so that huge data cannot stall. */
function findSecrets(root: object, rootPath: string, out: Problem[]): void {
  const walk: SecretWalk = { keys: [], budget: SECRETS_BUDGET_START, rootPath, out };
  visitSecrets(root, 0, walk);
}

interface SecretWalk {
  keys: string[];
  budget: number;
  rootPath: string;
  /** Where each secret found goes; undefined: the walk stops at the first (secretsFree). */
  out: Problem[] | undefined;
}

/**
 * Looks for secret-looking keys whose values are not redacted, each added to walk.out. True when
 * it looked at everything and found none there, or (with out) added all it found; false when it
 * stopped short: deeper than MAX_DEPTH, past the budget, or at the first secret without out.
 */
function visitSecrets(value: object, depth: number, walk: SecretWalk): boolean {
  if (depth > MAX_DEPTH || walk.budget-- <= 0) return false;
  let whole = true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') {
        walk.keys.push(String(i));
        if (!visitSecrets(item, depth + 1, walk)) whole = false;
        walk.keys.pop();
        if (!whole && walk.out === undefined) return false;
      }
    }
    return whole;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (isSecretKey(key)) {
      if (item !== REDACTED && item !== null && item !== '') {
        if (walk.out === undefined) return false;
        walk.out.push({ path: `${walk.rootPath}/${[...walk.keys, key].map(escapePointer).join('/')}`, message: `looks like a secret and must be redacted (${REDACTED})` });
      }
    } else if (item !== null && typeof item === 'object') {
      walk.keys.push(key);
      if (!visitSecrets(item, depth + 1, walk)) whole = false;
      walk.keys.pop();
      if (!whole && walk.out === undefined) return false;
    }
  }
  return whole;
}

/** Validators of one action's requestData and responseData (their catalog fields), compiled on first use; undefined where the catalog lists none. */
const dataValidators = new Map<Action, { request: ValidateFunction | undefined; response: ValidateFunction | undefined }>();
function dataValidatorsOf(action: Action): { request: ValidateFunction | undefined; response: ValidateFunction | undefined } {
  let v = dataValidators.get(action);
  if (v === undefined) {
    validatorFor(''); // the Ajv instance
    const request = dataSchema(action, 'requestData', true);
    const response = dataSchema(action, 'responseData', false);
    v = { request: request && ajv!.compile(request), response: response && ajv!.compile(response) };
    dataValidators.set(action, v);
  }
  return v;
}

/**
 * For the emitter, which builds events by construction: whether the parts of one of its events
 * that come new with each event are valid, when every other part (the action's, the caller's,
 * the target's, the ending's) was part of an event it built that validateEvent accepted whole
 * (with `secretsRedacted`, its options). Those parts: the id and correlationId (strings), and
 * requestData/responseData (redacted objects, checked against the action's catalog fields as
 * validateEvent checks them). The event time comes from formatEventTime and the lifecycle is
 * checked by the emitter itself for each day. false means "not sure": the emitter then runs
 * validateEvent for the problems. The emitter's differential test (event/fast-validation.test.ts)
 * holds this to never accepting what validateEvent rejects.
 */
export function composedPartsValid(event: ActivityEvent, action: Action): boolean {
  if (event.id !== undefined && typeof event.id !== 'string') return false;
  if (event.correlationId !== undefined && typeof event.correlationId !== 'string') return false;
  const data = dataValidatorsOf(action);
  if (data.request !== undefined && (event.requestData === undefined || !data.request(event.requestData))) return false;
  if (data.response !== undefined && event.responseData !== undefined && !data.response(event.responseData)) return false;
  return true;
}

/**
 * Validates one event against the schema of its action and the rules the schema cannot express
 * (lifecycle by eventTime, severity by status code, event time and CRN details, failure without
 * reasonType, message, secrets). Returns every problem found; never throws.
 */
export function validateEvent(event: unknown, options: ValidateOptions = {}): ValidationResult {
  return validateParsed(event, options, -1);
}

/**
 * validateEvent for an event that JSON.parse made of a text of `textLength` UTF-16 units (-1: not
 * known), for lint: where the text is exactly as long as the compact JSON of the members the
 * generated check reads, it holds no other member, so that check need not look at the keys (see
 * the generated commonClean). The same problems as validateEvent, whatever the length given; a
 * text of another length (white space, escapes) only takes the longer way.
 */
export function validateParsed(event: unknown, options: ValidateOptions, textLength: number): ValidationResult {
  const problems: Problem[] = [];
  try {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      return { ok: false, problems: [{ path: '', message: `the event must be a JSON object, not ${kindOf(event)}` }] };
    }
    const record = event as Record<string, unknown>;
    const actionId = record.action;
    const entry = typeof actionId === 'string' ? entryOf(actionId) : undefined;
    const action = entry?.action;
    let flagged: ReadonlySet<string> = NOTHING_FLAGGED;
    // The generated whole-event check answers for everything below when it is sure the event
    // passes all of it (for the catalog's display name: with another one, the rules run).
    if (
      entry !== undefined &&
      GENERATED_RULES.fastCheck &&
      GENERATED_RULES.ruleCheck &&
      (options.serviceDisplayName === undefined || options.serviceDisplayName === DEFAULT_DISPLAY_NAME) &&
      entry.clean(event, measured, compactOrNaN, options.lifecycle !== false, RULE_HELPERS, textLength)
    ) {
      return { ok: true, problems };
    }
    // The fast check answers for ajv and the no-other-fields rule when it is sure the event passes both.
    if (entry === undefined || !GENERATED_RULES.fastCheck || !entry.fast(event, measured, compactOrNaN)) {
      const validate = entry ? (entry.validate ??= validatorFor(entry.action.id)) : validatorFor('');
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
      flagged = unknownFields(record, problems, flagged === NOTHING_FLAGGED ? undefined : (flagged as Set<string>)) ?? NOTHING_FLAGGED;
    }
    ruleProblems(record, action, flagged, options, problems);
  } catch (err) {
    problems.push({ path: '', message: `could not be validated: ${err instanceof Error ? err.message : String(err)}` });
  }
  const max = options.maxProblems ?? 100;
  if (problems.length > max) problems.length = max;
  return { ok: problems.length === 0, problems };
}
