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

/** The regular expression (source) of a named pattern of the model. */
export function eventPattern(name: keyof typeof EVENT_MODEL.patterns): string {
  return EVENT_MODEL.patterns[name];
}

/** Each kind of caller's initiator type URI. */
export const INITIATOR_TYPE_URIS = Object.freeze(
  Object.fromEntries(EVENT_MODEL.initiatorKinds.map((k) => [k.kind, k.typeURI])) as Record<InitiatorKind, InitiatorTypeURI>,
);

/** The credential each kind of caller uses unless told otherwise. */
export const DEFAULT_CREDENTIAL = Object.freeze(
  Object.fromEntries(EVENT_MODEL.initiatorKinds.map((k) => [k.kind, k.credential])) as Record<InitiatorKind, CredentialType>,
);

const ID_PREFIXES: readonly (readonly [string, InitiatorKind])[] = EVENT_MODEL.initiatorKinds.flatMap((k) => k.idPrefixes.map((p) => [p, k.kind as InitiatorKind] as const));

/** The kind of caller an IAM id names, from its prefix; undefined when the prefix says nothing. */
export function initiatorKindOf(id: string): InitiatorKind | undefined {
  for (const [prefix, kind] of ID_PREFIXES) if (id.startsWith(prefix)) return kind;
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
