import { EVENT_FIELDS, type EventFieldDef } from '../event/model.js';
import { CLOSED_OBJECTS, findOtherFields } from '../generated/event-model.js';
import { LEGACY_FIELDS } from './schema.js';
import type { Problem } from './validate.js';

/**
 * "No other fields": the fields each closed object of an event may have (additionalProperties:
 * false in the published schema), from the same event model, checked by a rule. ajv's generic
 * code looks every key up in the schema; here fields in the model's order (the emitter's) are
 * matched one after the other, and the objects are read as plain properties.
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

/** The fields an object of the event may have (every object of the event model that is not open), and its objects that are checked alike. */
export interface FieldSet {
  /** JSON pointer of the object. */
  readonly path: string;
  /** Its fields, in the order the event model (and the emitter) writes them. */
  readonly keys: readonly string[];
  readonly allowed: ReadonlySet<string>;
  readonly children: readonly (readonly [string, FieldSet])[];
}

/** The closed objects of an event model, from its root: the table "no other fields" is checked against. */
export function closedObjectsOf(fields: readonly EventFieldDef[], parent = '', path = ''): FieldSet {
  const kids = fields.filter((f) => f.parent === parent);
  const keys = kids.map((f) => f.key);
  const children = kids.filter((f) => f.type === 'object' && !f.open).map((f) => [f.key, closedObjectsOf(fields, f.path, `${path}/${escapePointer(f.key)}`)] as const);
  return { path, keys, allowed: new Set(keys), children };
}

const TREE = closedObjectsOf(EVENT_FIELDS);

function setAt(tree: FieldSet, path: string): FieldSet {
  let set = tree;
  for (const key of path ? path.split('.') : []) {
    const child = set.children.find(([k]) => k === key);
    if (!child) throw new Error(`the event model has no closed object ${path}`);
    set = child[1];
  }
  return set;
}

/**
 * The built-in model's closed objects, flat, in the order the generated reader
 * (readClosedObjects) reads them. An entry left undefined is not checked: only the tests that
 * sabotage a rule do that.
 */
export const CLOSED_SETS: (FieldSet | undefined)[] = CLOSED_OBJECTS.map((path) => setAt(TREE, path));

/** Scratch for what findOtherFields found in the event being checked (overwritten by every call). */
const found: unknown[] = [];

/** Reports the fields of one object (not of its objects) that the event model does not define. Fields in the model's order are matched one after the other, without a lookup. */
function unknownFieldsOf(value: object, set: FieldSet, out: Problem[], flagged: Set<string> | undefined): Set<string> | undefined {
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

/** Checks an object and, through the table, its closed objects. Values that are not objects are left to the schema. */
function visit(value: unknown, set: FieldSet, out: Problem[], flagged: Set<string> | undefined): Set<string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return flagged; // the schema reports the type
  flagged = unknownFieldsOf(value, set, out, flagged);
  const { children } = set;
  for (let i = 0; i < children.length; i++) {
    const [key, child] = children[i]!;
    flagged = visit((value as Record<string, unknown>)[key], child, out, flagged);
  }
  return flagged;
}

/**
 * Reports every field of the event and of its closed objects that the event model does not
 * define, adding their paths to `flagged` (made when the first is found). `fields`: the table
 * (closedObjectsOf) of another model's closed objects; the built-in model's by default.
 */
export function unknownFields(event: Record<string, unknown>, out: Problem[], flagged: Set<string> | undefined, fields?: FieldSet): Set<string> | undefined {
  if (fields !== undefined) return visit(event, fields, out, flagged);
  // The built-in model: checked by generated code, a loop for each closed object.
  const n = findOtherFields(event, CLOSED_SETS, found);
  for (let i = 0; i < n; i += 2) {
    const problem = unknownField(CLOSED_SETS[found[i] as number]!.path, found[i + 1] as string);
    out.push(problem);
    (flagged ??= new Set()).add(problem.path);
  }
  return flagged;
}
