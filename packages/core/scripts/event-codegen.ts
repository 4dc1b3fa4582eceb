/**
 * Writes src/generated/event-model.ts from the event model (content/catalog/event.yaml): the
 * model as plain data, the value sets as constants and types, the ActivityEvent type, and the
 * serializer (a template in the model's key order). The module imports nothing, so that it can be
 * generated and loaded anywhere (the tests generate one from a temporary content folder).
 */
import type { EventFieldDef, EventModelDef } from '../src/content/types.js';

/** `initiatorTypeURI` → `InitiatorTypeURI`. */
const typeNameOf = (set: string): string => set[0]!.toUpperCase() + set.slice(1);
/** `initiatorTypeURI` → `INITIATOR_TYPE_URI_VALUES`. */
const constNameOf = (set: string): string => `${set.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_VALUES`;

const doc = (text: string | undefined, indent: string): string => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');

function fieldType(f: EventFieldDef, model: EventModelDef, describe: (path: string) => string | undefined, indent: string): string {
  if (f.const !== undefined) return JSON.stringify(f.const);
  if (f.values !== undefined) return typeNameOf(f.values);
  switch (f.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return f.open ? 'Record<string, unknown>' : objectType(f.path, model, describe, indent);
  }
}

function objectType(parent: string, model: EventModelDef, describe: (path: string) => string | undefined, indent: string): string {
  const inner = `${indent}  `;
  const members = model.fields
    .filter((f) => f.parent === parent)
    .map((f) => `${doc(describe(f.path), inner)}${inner}${f.key}${f.required ? '' : '?'}: ${fieldType(f, model, describe, inner)};`);
  return `{\n${members.join('\n')}\n${indent}}`;
}

/** A piece of the serializer: literal JSON text, a JavaScript expression giving JSON text, or a block. */
type Op = { lit: string } | { expr: string } | { when: string; ops: Op[] } | { code: string };

function valueOps(f: EventFieldDef, access: string, vars: { n: number }, model: EventModelDef): Op[] {
  if (f.type === 'object') {
    if (f.open) return [{ expr: `JSON.stringify(${access})` }];
    const v = `o${vars.n++}`;
    return [{ code: `const ${v} = ${access};` }, ...objectOps(f.path, v, vars, model)];
  }
  if (f.type === 'boolean') return [{ expr: `(${access} ? 'true' : 'false')` }];
  if (f.type === 'integer') return [{ expr: `num(${access})` }];
  return [{ expr: `str(${access})` }];
}

/** The ops writing the object whose fields sit under `parent`, read from the variable `v`. */
function objectOps(parent: string, v: string, vars: { n: number }, model: EventModelDef): Op[] {
  const kids = model.fields.filter((f) => f.parent === parent);
  const ops: Op[] = [{ lit: '{' }];
  // Whether a key has surely been written: then the next one starts with a comma. Until a
  // required field comes, optional fields decide at run time.
  let written = false;
  let sep: string | undefined;
  for (const f of kids) {
    const access = `${v}.${f.key}`;
    const key = JSON.stringify(f.key);
    let keyOps: Op[];
    if (written) keyOps = [{ lit: `,${key}:` }];
    else if (sep !== undefined) keyOps = [{ expr: sep }, { lit: `${key}:` }];
    else if (f.required) keyOps = [{ lit: `${key}:` }];
    else {
      sep = `s${vars.n++}`;
      ops.push({ code: `let ${sep} = '';` });
      keyOps = [{ expr: sep }, { lit: `${key}:` }];
    }
    const body = [...keyOps, ...valueOps(f, access, vars, model)];
    if (!written && sep !== undefined && !f.required) body.push({ code: `${sep} = ',';` });
    if (f.required) {
      ops.push(...body);
      written = true;
    } else ops.push({ when: `${access} !== undefined`, ops: body });
  }
  ops.push({ lit: '}' });
  return ops;
}

const templateText = (s: string) => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

/** Renders ops as statements appending to `out`: runs of text and expressions become one template. */
function render(ops: Op[], indent: string, out: string[]): void {
  let run = '';
  const flush = () => {
    if (run) out.push(`${indent}out += \`${run}\`;`);
    run = '';
  };
  for (const op of ops) {
    if ('lit' in op) run += templateText(op.lit);
    else if ('expr' in op) run += `\${${op.expr}}`;
    else if ('code' in op) {
      flush();
      out.push(`${indent}${op.code}`);
    } else {
      flush();
      out.push(`${indent}if (${op.when}) {`);
      render(op.ops, `${indent}  `, out);
      out.push(`${indent}}`);
    }
  }
  flush();
}

/**
 * A function that reads the values at `paths` (dotted) of an event into `out`, in order, through
 * objects only (undefined where an object on the way is missing). Straight-line code: the
 * validator's rules read their fields with it, as fast as hand-written property reads.
 */
function readerSource(name: string, paths: readonly string[], what: string): string[] {
  const lines = [`/** Reads ${what} of an event into \`out\`, in order (see the list above). */`, `export function ${name}(e: Record<string, unknown>, out: unknown[]): void {`];
  const vars = new Map<string, string>([['', 'e']]);
  const objectVar = (path: string): string => {
    const known = vars.get(path);
    if (known !== undefined) return known;
    const dot = path.lastIndexOf('.');
    const parent = objectVar(dot < 0 ? '' : path.slice(0, dot));
    const key = path.slice(dot + 1);
    const v = `o${vars.size - 1}`;
    const read = parent === 'e' ? `e[${JSON.stringify(key)}]` : `(${parent} === undefined ? undefined : ${parent}[${JSON.stringify(key)}])`;
    lines.push(`  const ${v}r = ${read};`);
    lines.push(`  const ${v} = ${v}r !== null && typeof ${v}r === 'object' && !Array.isArray(${v}r) ? (${v}r as Record<string, unknown>) : undefined;`);
    vars.set(path, v);
    return v;
  };
  paths.forEach((path, i) => {
    const dot = path.lastIndexOf('.');
    const parent = objectVar(dot < 0 ? '' : path.slice(0, dot));
    const key = JSON.stringify(path.slice(dot + 1));
    lines.push(parent === 'e' ? `  out[${i}] = e[${key}];` : `  out[${i}] = ${parent} === undefined ? undefined : ${parent}[${key}];`);
  });
  lines.push('}');
  return lines;
}

/**
 * "No other fields" for the event and each of its closed objects: a loop of its own for each
 * object (so that each loop sees one shape of object, and V8 keeps it on its fast path), reading
 * the fields each object may have from `sets` (the validator's table, in CLOSED_OBJECTS order).
 * Keys in the model's order are matched one after the other without a lookup. Each key that an
 * object may not have is pushed to `found`, after the index of its object.
 */
function closedCheckSource(paths: readonly string[]): string[] {
  const lines = [
    '/** The fields an object may have: `keys` in model order, `allowed` the same as a set. */',
    'export interface ClosedObject {',
    '  readonly keys: readonly string[];',
    '  readonly allowed: { has(key: string): boolean };',
    '}',
    '',
    '/**',
    ' * Writes to `found`, for every field of the event\'s closed objects (CLOSED_OBJECTS) that `sets`',
    ' * does not allow, the index of its object and its key; returns how many entries it wrote (two a',
    ' * field). A missing set is not checked.',
    ' */',
    'export function findOtherFields(e: Record<string, unknown>, sets: readonly (ClosedObject | undefined)[], found: unknown[]): number {',
    '  let n = 0;',
  ];
  const vars = new Map<string, string>([['', 'e']]);
  paths.forEach((path, i) => {
    let v = 'e';
    if (path !== '') {
      const dot = path.lastIndexOf('.');
      const parent = vars.get(dot < 0 ? '' : path.slice(0, dot))!;
      const key = JSON.stringify(path.slice(dot + 1));
      v = `c${i}`;
      const read = parent === 'e' ? `e[${key}]` : `(${parent} === undefined ? undefined : ${parent}[${key}])`;
      lines.push(`  const ${v}r = ${read};`);
      lines.push(`  const ${v} = ${v}r !== null && typeof ${v}r === 'object' && !Array.isArray(${v}r) ? (${v}r as Record<string, unknown>) : undefined;`);
      vars.set(path, v);
    }
    lines.push(`  const s${i} = sets[${i}];`);
    lines.push(`  if (${v === 'e' ? '' : `${v} !== undefined && `}s${i} !== undefined) {`);
    lines.push(`    const keys = s${i}.keys;`);
    lines.push('    let next = 0;');
    lines.push('    // Like additionalProperties: every enumerable key, own or inherited.');
    lines.push(`    for (const key in ${v}) {`);
    lines.push('      while (next < keys.length && keys[next] !== key) next++;');
    lines.push('      if (next < keys.length) {');
    lines.push('        next++;');
    lines.push('        continue;');
    lines.push('      }');
    lines.push(`      if (!s${i}.allowed.has(key)) {`);
    lines.push(`        found[n++] = ${i};`);
    lines.push('        found[n++] = key;');
    lines.push('      }');
    lines.push('    }');
    lines.push('  }');
  });
  lines.push('  return n;');
  lines.push('}');
  return lines;
}

/** The fields the validator's rules read: those that must not be empty or match a pattern, in model order. */
const ruleFieldsOf = (model: EventModelDef): string[] => model.fields.filter((f) => f.nonEmpty || f.pattern !== undefined).map((f) => f.path);
/** The event ('') and its closed objects (those that are not open), in model order. */
const closedObjectPathsOf = (model: EventModelDef): string[] => ['', ...model.fields.filter((f) => f.type === 'object' && !f.open).map((f) => f.path)];

/** The source of src/generated/event-model.ts. `describe` gives a field's English rule. */
export function eventModelModule(model: EventModelDef, describe: (path: string) => string | undefined, origin: string): string {
  const parts: string[] = [];
  parts.push(`// Generated by packages/core/scripts/generate.ts from ${origin}. Do not edit: change the event model there and rebuild.`);
  parts.push('/* eslint-disable */');
  parts.push('');
  parts.push('/** The event model as plain data: value sets, patterns, kinds of caller, severity by status code and every field, in key order. */');
  parts.push(`export const EVENT_MODEL = ${JSON.stringify(model, null, 2)} as const;`);
  parts.push('');
  for (const [set, values] of Object.entries(model.values)) {
    parts.push(`/** The values of the \`${set}\` value set. */`);
    parts.push(`export const ${constNameOf(set)} = ${JSON.stringify(values)} as const;`);
    parts.push(`export type ${typeNameOf(set)} = (typeof ${constNameOf(set)})[number];`);
  }
  parts.push('/** Kinds of caller, each with its initiator type URI. */');
  parts.push(`export type InitiatorKind = ${model.initiatorKinds.map((k) => JSON.stringify(k.kind)).join(' | ')};`);
  parts.push('');
  parts.push('/**');
  parts.push(' * An IBM Cloud activity-tracking event (CADF based, the current form with the CADF fields at the');
  parts.push(' * top level), as content/catalog/event.yaml defines it.');
  parts.push(' */');
  parts.push(`export interface ActivityEvent ${objectType('', model, describe, '')}`);
  parts.push('');
  parts.push('// Characters a JSON string must escape, and lone surrogates (which well-formed JSON.stringify escapes).');
  parts.push('const NEEDS_ESCAPE = /["\\\\\\u0000-\\u001f\\ud800-\\udfff]/;');
  parts.push('');
  parts.push('/** A string as JSON, exactly as JSON.stringify writes it; short strings without escapes are only quoted. */');
  parts.push('export function jsonString(s: string): string {');
  parts.push('  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s);');
  parts.push('}');
  parts.push('');
  parts.push('const str = jsonString;');
  parts.push("const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');");
  parts.push('');
  const ruleFields = ruleFieldsOf(model);
  const closed = closedObjectPathsOf(model);
  parts.push('/** The fields the validator\'s rules read (those that must not be empty or match a pattern), in model order. */');
  parts.push(`export const RULE_FIELDS = ${JSON.stringify(ruleFields)} as const;`);
  parts.push(...readerSource('readRuleFields', ruleFields, 'the values of RULE_FIELDS'));
  parts.push('');
  parts.push('/** The event (\'\') and its closed objects, in model order: where "no other fields" applies (findOtherFields). */');
  parts.push(`export const CLOSED_OBJECTS = ${JSON.stringify(closed)} as const;`);
  parts.push(...closedCheckSource(closed));
  parts.push('');
  parts.push('/**');
  parts.push(' * One event as one line of JSON (no newline), its keys in the model\'s order: what JSON.stringify');
  parts.push(' * writes for an event whose keys are in that order. Keys the model does not define are not written.');
  parts.push(' */');
  parts.push('export function writeEvent(e: ActivityEvent): string {');
  const body: string[] = ["  let out = '';"];
  render(objectOps('', 'e', { n: 0 }, model), '  ', body);
  parts.push(...body);
  parts.push('  return out;');
  parts.push('}');
  parts.push('');
  return parts.join('\n');
}
