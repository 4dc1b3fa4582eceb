import { commonEventSchema, LEGACY_FIELDS, type JsonSchema } from './schema.js';
import type { Problem } from './validate.js';

/**
 * "No other fields": the fields each closed object of an event may have (additionalProperties:
 * false in the common schema), derived from that schema and checked by hand. ajv's generic code
 * looks every key up in the schema; here fields in the model's order (the emitter's) are matched one
 * after the other, and the objects are read as plain properties. The published schema says the
 * same (a test compares them).
 */

export const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const legacy = new Set<string>(LEGACY_FIELDS);

/** A field that the object at `path` may not have. */
export function unknownField(path: string, key: string): Problem {
  return {
    path: `${path}/${escapePointer(key)}`,
    message:
      path === '' && legacy.has(key)
        ? `is a field of the legacy (pre-October 2019) event form; the current form puts the CADF fields at the top level and has no ${key}`
        : 'is not a field of the event model',
  };
}

/** The fields an object of the event may have (additionalProperties: false in the common schema), and its objects that are checked alike. */
interface FieldSet {
  /** JSON pointer of the object. */
  readonly path: string;
  /** Its fields, in the order the event model (and the emitter) writes them. */
  readonly keys: readonly string[];
  readonly allowed: ReadonlySet<string>;
  readonly children: readonly (readonly [string, FieldSet])[];
}

function fieldSetOf(node: JsonSchema, path: string): FieldSet {
  const props = (node.properties ?? {}) as Record<string, JsonSchema>;
  const keys = Object.keys(props);
  const children = keys.filter((k) => props[k]!.additionalProperties === false).map((k) => [k, fieldSetOf(props[k]!, `${path}/${k}`)] as const);
  return { path, keys, allowed: new Set(keys), children };
}

const FIELDS = fieldSetOf(commonEventSchema(), '');

/** Reports the fields of one object (not of its objects) that the event model does not define. Fields in the model's order are matched one after the other, without a lookup. */
function unknownFieldsOf(value: unknown, set: FieldSet, out: Problem[], flagged: Set<string> | undefined): Set<string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return flagged; // the schema reports the type
  const { keys } = set;
  let next = 0;
  // Like ajv's additionalProperties: every enumerable key, own or inherited.
  for (const key in value) {
    while (next < keys.length && keys[next] !== key) next++;
    if (next < keys.length) {
      next++;
      continue;
    }
    if (set.allowed.has(key)) continue;
    const problem = unknownField(set.path, key);
    out.push(problem);
    (flagged ??= new Set()).add(problem.path);
  }
  return flagged;
}

const childSet = (parent: FieldSet, key: string): FieldSet => {
  const found = parent.children.find(([k]) => k === key);
  if (!found) throw new Error(`the common event schema has no closed object ${parent.path}/${key}`);
  return found[1];
};
const INITIATOR_FIELDS = childSet(FIELDS, 'initiator');
const CREDENTIAL_FIELDS = childSet(INITIATOR_FIELDS, 'credential');
const INITIATOR_HOST_FIELDS = childSet(INITIATOR_FIELDS, 'host');
const TARGET_FIELDS = childSet(FIELDS, 'target');
const TARGET_HOST_FIELDS = childSet(TARGET_FIELDS, 'host');
const REASON_FIELDS = childSet(FIELDS, 'reason');
const OBSERVER_FIELDS = childSet(FIELDS, 'observer');
/** Every closed object of the schema, as unknownFields visits them; checked against the schema as this module loads. */
const CHECKED_OBJECTS: readonly FieldSet[] = [FIELDS, INITIATOR_FIELDS, CREDENTIAL_FIELDS, INITIATOR_HOST_FIELDS, TARGET_FIELDS, TARGET_HOST_FIELDS, REASON_FIELDS, OBSERVER_FIELDS];
{
  const all: FieldSet[] = [];
  const collect = (set: FieldSet) => (all.push(set), set.children.forEach(([, child]) => collect(child)));
  collect(FIELDS);
  if (all.length !== CHECKED_OBJECTS.length) throw new Error(`unknownFields checks ${CHECKED_OBJECTS.length} objects, the schema closes ${all.length}`);
}

const asRecord = (value: unknown): Record<string, unknown> | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/**
 * Reports every field of the event and of its closed objects that the event model does not
 * define, adding their paths to `flagged` (made when the first is found).
 */
export function unknownFields(event: Record<string, unknown>, out: Problem[], flagged: Set<string> | undefined): Set<string> | undefined {
  flagged = unknownFieldsOf(event, FIELDS, out, flagged);
  const initiator = asRecord(event.initiator);
  if (initiator) {
    flagged = unknownFieldsOf(initiator, INITIATOR_FIELDS, out, flagged);
    flagged = unknownFieldsOf(initiator.credential, CREDENTIAL_FIELDS, out, flagged);
    flagged = unknownFieldsOf(initiator.host, INITIATOR_HOST_FIELDS, out, flagged);
  }
  const target = asRecord(event.target);
  if (target) {
    flagged = unknownFieldsOf(target, TARGET_FIELDS, out, flagged);
    flagged = unknownFieldsOf(target.host, TARGET_HOST_FIELDS, out, flagged);
  }
  flagged = unknownFieldsOf(event.reason, REASON_FIELDS, out, flagged);
  return unknownFieldsOf(event.observer, OBSERVER_FIELDS, out, flagged);
}
