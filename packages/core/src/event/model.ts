import {
  EVENT_MODEL,
  SEVERITY_VALUES,
  type CredentialType,
  type InitiatorKind,
  type InitiatorTypeURI,
  type Severity,
} from '../generated/event-model.js';
import type { EventFieldDef } from '../content/types.js';

/**
 * Lookups derived from the event model (content/catalog/event.yaml, generated into
 * generated/event-model.ts) that the composer, the validator and the schema share: kinds of
 * caller, severity by status code, patterns and constants. Nothing here is typed by hand.
 */

export type { EventFieldDef };

/** Every field of the event, in key order. */
export const EVENT_FIELDS: readonly EventFieldDef[] = EVENT_MODEL.fields;

/** The field at a dotted path; throws when the model has no such field (a code/model mismatch). */
export function eventField(path: string): EventFieldDef {
  const field = EVENT_FIELDS.find((f) => f.path === path);
  if (!field) throw new Error(`the event model has no field ${path}`);
  return field;
}

/** Each kind of caller's initiator type URI. */
export const INITIATOR_TYPE_URIS = Object.freeze(
  Object.fromEntries(EVENT_MODEL.initiatorKinds.map((k) => [k.kind, k.typeURI])) as Record<InitiatorKind, InitiatorTypeURI>,
);

/** The credential each kind of caller uses unless told otherwise. */
export const DEFAULT_CREDENTIAL = Object.freeze(
  Object.fromEntries(EVENT_MODEL.initiatorKinds.map((k) => [k.kind, k.credential])) as Record<InitiatorKind, CredentialType>,
);

/** The IAM id prefixes of each kind of caller, by their first character (one lookup, then usually one comparison). */
const ID_PREFIXES = new Map<number, (readonly [string, InitiatorKind])[]>();
for (const k of EVENT_MODEL.initiatorKinds) {
  for (const prefix of k.idPrefixes) {
    const first = prefix.charCodeAt(0);
    if (!ID_PREFIXES.has(first)) ID_PREFIXES.set(first, []);
    ID_PREFIXES.get(first)!.push([prefix, k.kind as InitiatorKind]);
  }
}

/** Whether `s` starts with the short `prefix`, whose first character it is known to share: compared in place (no slice to allocate; Node 20's startsWith is slow). */
function hasPrefix(s: string, prefix: string): boolean {
  if (s.length < prefix.length) return false;
  for (let i = 1; i < prefix.length; i++) if (s.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
}

/** The kind of caller an IAM id names, from its prefix; undefined when the prefix says nothing. */
export function initiatorKindOf(id: string): InitiatorKind | undefined {
  const candidates = ID_PREFIXES.get(id.charCodeAt(0));
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) {
    const [prefix, kind] = candidates[i]!;
    if (hasPrefix(id, prefix)) return kind;
  }
  return undefined;
}

/**
 * Severity by HTTP status code. When an event's reason code is in this table, the table decides
 * the severity, whatever the action and its outcome.
 */
export const STATUS_SEVERITY: Readonly<Record<number, Severity>> = Object.freeze(
  Object.fromEntries(Object.entries(EVENT_MODEL.statusSeverity).map(([code, s]) => [Number(code), s])) as Record<number, Severity>,
);

/** Severities from least to most severe (their order in the model). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = Object.freeze(
  Object.fromEntries(SEVERITY_VALUES.map((s, i) => [s, i])) as Record<Severity, number>,
);

/** `observer.name`: the model's constant. */
export const OBSERVER_NAME = eventField('observer.name').const as 'ActivityTracker';
