/**
 * Writes src/generated/event-model.ts from the event model (content/catalog/event.yaml): the
 * model as plain data, the value sets as constants and types, the ActivityEvent type, and the
 * serializer (a template in the model's key order). The module imports nothing, so that it can be
 * generated and loaded anywhere (the tests generate one from a temporary content folder).
 */
import type { EventFieldDef, EventModelDef } from '../src/content/types.js';
import type { RuleFacts } from '../src/validate/rule-facts.js';

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

/** A node of a JSON Schema, as the fast-check compiler reads it. */
type SchemaNode = { readonly [key: string]: unknown };

/** The keywords the fast-check compiler understands; any other one stops the build (the check would not be whole). */
const CHECK_KEYWORDS = new Set(['type', 'properties', 'required', 'additionalProperties', 'const', 'enum', 'minLength', 'pattern', 'minimum', 'maximum', 'description']);

/** What a fast check is being compiled into: its lines, a counter for local names, and the patterns it tests. */
interface CheckWriter {
  readonly lines: string[];
  n: number;
  readonly patterns: string[];
  /** Where set, the local that holds each value read at the function's top level, by JSON pointer (for the rules that follow the schema). */
  locals?: Map<string, string>;
  /**
   * Where set, the condition under which the keys of closed objects are looked at (the rule
   * check's `n < 0`: otherwise the length of the event's text answers for them; see eventRulesSource).
   */
  keysIf?: string;
  /**
   * Where set, the members of the event itself (the top level) are not read by the function being
   * written but given to it: each member's local and the expression its caller reads it with.
   */
  given?: { readonly locals: string[]; readonly reads: string[] };
}

/**
 * Where a checked value's compact length goes (the common check measures the event as it checks
 * it): the variable that sums it, and the value's depth in the event. The length is
 * duplicate-keys.ts's compactLength, each string counted as its characters between two quotes:
 * what the check knows of a value (a string, one of a set of strings, a boolean, a closed object
 * with its members) is counted inline, anything else by the check's `c` (compactLength at that
 * depth, NaN where it answers -1), so the sum is NaN where compactLength would answer -1.
 */
interface Measure {
  readonly sum: string;
  readonly depth: number;
}

/** The statement adding the compact length of a checked value to `measure.sum`. */
function measureValue(node: SchemaNode, value: string, measure: Measure): string {
  const strings = (values: readonly unknown[]) => values.length > 0 && values.every((v) => typeof v === 'string');
  if (node.type === 'string' || ('const' in node && typeof node.const === 'string') || (Array.isArray(node.enum) && strings(node.enum))) return `${measure.sum} += ${value}.length + 2;`;
  if (node.type === 'boolean') return `${measure.sum} += ${value} ? 4 : 5;`;
  // An integer whose bounds (both positive, below 1000) have as many digits: written with that many.
  const { minimum: min, maximum: max } = node;
  if (node.type === 'integer' && typeof min === 'number' && typeof max === 'number' && min >= 1 && max < 1000 && String(Math.ceil(min)).length === String(Math.floor(max)).length) {
    return `${measure.sum} += ${String(Math.ceil(min)).length};`;
  }
  return `${measure.sum} += c(${value}, ${measure.depth});`;
}

const isPrimitive = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Compiles one schema node into statements that `return false` unless the value (the expression
 * `value`, a local name) satisfies it, keyword by keyword as ajv reads them: `type` (integer: a
 * number without a fraction), `const` and `enum` (of primitive values), `minLength` (0 or 1),
 * `pattern` (with the u flag), `minimum`/`maximum` (on numbers), and for objects `required`
 * (undefined is missing), `properties` (checked where not undefined) and `additionalProperties:
 * false` (every enumerable key, own or inherited, must be a property). Anything else throws.
 */
function checkNode(node: SchemaNode, value: string, w: CheckWriter, indent: string, where: string, measure?: Measure): void {
  for (const key of Object.keys(node)) if (!CHECK_KEYWORDS.has(key)) throw new Error(`the fast check cannot compile the keyword ${key} (at ${where})`);
  const fail = (condition: string) => w.lines.push(`${indent}if (${condition}) return false;`);
  const type = node.type;
  switch (type) {
    case undefined:
      break;
    case 'string':
      fail(`typeof ${value} !== 'string'`);
      break;
    case 'integer':
      fail(`typeof ${value} !== 'number' || !Number.isInteger(${value})`);
      break;
    case 'number':
      fail(`typeof ${value} !== 'number' || !Number.isFinite(${value})`);
      break;
    case 'boolean':
      fail(`typeof ${value} !== 'boolean'`);
      break;
    case 'object':
      fail(`${value} === null || typeof ${value} !== 'object' || Array.isArray(${value})`);
      break;
    case 'array':
      fail(`!Array.isArray(${value})`);
      break;
    default:
      throw new Error(`the fast check cannot compile type ${JSON.stringify(type)} (at ${where})`);
  }
  if ('const' in node) {
    if (!isPrimitive(node.const)) throw new Error(`the fast check compiles only a string, number, boolean or null const (at ${where})`);
    fail(`${value} !== ${JSON.stringify(node.const)}`);
  }
  if (node.enum !== undefined) {
    const values = node.enum;
    if (!Array.isArray(values) || values.length === 0 || !values.every(isPrimitive)) throw new Error(`the fast check compiles only a non-empty enum of strings, numbers, booleans or null (at ${where})`);
    fail(values.map((v) => `${value} !== ${JSON.stringify(v)}`).join(' && '));
  }
  const ifString = type === 'string' ? '' : `typeof ${value} === 'string' && `;
  if (node.minLength !== undefined) {
    if (node.minLength === 1) fail(`${ifString}${value} === ''`);
    else if (node.minLength !== 0) throw new Error(`the fast check compiles only minLength 0 or 1 (at ${where})`);
  }
  if (node.pattern !== undefined) {
    if (typeof node.pattern !== 'string') throw new Error(`a pattern must be a string (at ${where})`);
    let i = w.patterns.indexOf(node.pattern);
    if (i < 0) i = w.patterns.push(node.pattern) - 1;
    fail(`${ifString}!PATTERN_${i}.test(${value})`);
  }
  const ifNumber = type === 'integer' || type === 'number' ? '' : `typeof ${value} === 'number' && `;
  for (const [keyword, op] of [['minimum', '<'], ['maximum', '>']] as const) {
    const bound = node[keyword];
    if (bound === undefined) continue;
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw new Error(`${keyword} must be a finite number (at ${where})`);
    fail(`${ifNumber}${value} ${op} ${bound}`);
  }
  const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
  const required = (node.required ?? []) as string[];
  const closed = node.additionalProperties;
  // Only a closed object is measured member by member: every key it has is then one of its properties.
  if (measure !== undefined && !(type === 'object' && closed === false)) w.lines.push(`${indent}${measureValue(node, value, measure)}`);
  if (node.properties === undefined && node.required === undefined && closed === undefined) return;
  if (type !== 'object') throw new Error(`the fast check compiles properties, required and additionalProperties only with type object (at ${where})`);
  if (!Array.isArray(required) || !required.every((k) => typeof k === 'string')) throw new Error(`required must be a list of names (at ${where})`);
  if (closed !== undefined && closed !== false) throw new Error(`the fast check compiles only additionalProperties: false (at ${where})`);
  const read = (key: string) => `(${value} as Obj)[${JSON.stringify(key)}]`;
  for (const key of required) if (!(key in properties)) fail(`${read(key)} === undefined`);
  // A closed object's compact length: its opening brace, then each member's key, colon, value
  // and the comma or brace after it (compactLength's count); 2 for no member.
  const own = measure !== undefined && closed === false ? `l${w.n++}` : undefined;
  if (own !== undefined) w.lines.push(`${indent}let ${own} = 1;`);
  for (const [key, child] of Object.entries(properties)) {
    const local = `v${w.n++}`;
    const inner = own === undefined ? undefined : { sum: own, depth: measure!.depth + 1 };
    const member = `${own} += ${key.length + 4};`;
    if (w.given !== undefined && value === 'e') {
      w.given.locals.push(local);
      w.given.reads.push(read(key));
    } else w.lines.push(`${indent}const ${local} = ${read(key)};`);
    if (w.locals !== undefined && indent === '  ') w.locals.set(`${where}/${key}`, local);
    if (required.includes(key)) {
      fail(`${local} === undefined`);
      if (own !== undefined) w.lines.push(`${indent}${member}`);
      checkNode(child, local, w, indent, `${where}/${key}`, inner);
    } else {
      w.lines.push(`${indent}if (${local} !== undefined) {`);
      if (own !== undefined) w.lines.push(`${indent}  ${member}`);
      checkNode(child, local, w, `${indent}  `, `${where}/${key}`, inner);
      w.lines.push(`${indent}}`);
    }
  }
  if (closed === false) {
    // Every enumerable key, own or inherited, must be a property. Keys usually come in the order of
    // the properties (the model's, the order the emitter writes): each is looked for from the
    // place after the last one found, so that a key in order costs one comparison (and each absent
    // optional property one more), not a comparison with every property before it. A key out of
    // that order is looked up among all of them.
    const keys = Object.keys(properties);
    const next = `k${w.n++}`;
    const outer = indent;
    if (w.keysIf !== undefined) {
      w.lines.push(`${outer}if (${w.keysIf}) {`);
      indent += '  ';
    }
    w.lines.push(`${indent}let ${next} = 0;`);
    w.lines.push(`${indent}for (const key in ${value} as Obj) {`);
    if (keys.length > 0) {
      w.lines.push(`${indent}  switch (${next}) {`);
      keys.forEach((key, i) => {
        w.lines.push(`${indent}    case ${i}:`);
        w.lines.push(`${indent}      if (key === ${JSON.stringify(key)}) {`);
        w.lines.push(`${indent}        ${next} = ${i + 1};`);
        w.lines.push(`${indent}        continue;`);
        w.lines.push(`${indent}      }`);
      });
      w.lines.push(`${indent}  }`);
      w.lines.push(`${indent}  ${next} = ${keys.length};`);
    }
    w.lines.push(`${indent}  switch (key) {`);
    for (const key of keys) w.lines.push(`${indent}    case ${JSON.stringify(key)}:`);
    w.lines.push(`${indent}      break;`);
    w.lines.push(`${indent}    default:`);
    w.lines.push(`${indent}      return false;`);
    w.lines.push(`${indent}  }`);
    w.lines.push(`${indent}}`);
    if (w.keysIf !== undefined) {
      indent = outer;
      w.lines.push(`${indent}}`);
    }
  }
  if (own !== undefined) w.lines.push(`${indent}${measure!.sum} += ${own} === 1 ? 2 : ${own};`);
}

/**
 * The source of src/generated/event-checks.ts: the fast check of each action's events, compiled
 * from the schemas ajv compiles (the common event's, `common`, and each action's variant, as
 * `allOf: [common, variant]`). A check answers true only when the event satisfies every keyword
 * of both; the validator then skips ajv. `origin` names where the schemas come from.
 */
export function eventChecksModule(common: SchemaNode, variants: readonly (readonly [string, SchemaNode])[], origin: string, facts?: RuleFacts): string {
  const w: CheckWriter = { lines: [], n: 0, patterns: [] };
  const out: string[] = [];
  w.lines.push('/**');
  w.lines.push(' * Whether an event satisfies the common schema (every action\'s events share it); if it does,');
  w.lines.push(' * `m.of` is the event and `m.length` its compact length (see EventMeasure).');
  w.lines.push(' */');
  w.lines.push('function common(e: unknown, m: EventMeasure, c: Compact): boolean {');
  w.lines.push('  let len = 0;');
  checkNode(common, 'e', w, '  ', '', { sum: 'len', depth: 0 });
  w.lines.push('  m.of = e;');
  w.lines.push('  m.length = len;');
  w.lines.push('  return true;');
  w.lines.push('}');
  const names: string[] = [];
  variants.forEach(([id, variant], i) => {
    const name = `action${i}`;
    names.push(`  [${JSON.stringify(id)}, ${name}],`);
    w.lines.push('');
    w.lines.push(`/** ${id}: what its events have beyond the common schema. */`);
    w.lines.push(`function variant${i}(e: unknown): boolean {`);
    checkNode(variant, 'e', w, '  ', id);
    w.lines.push('  return true;');
    w.lines.push('}');
    w.lines.push(`/** ${id} */`);
    w.lines.push(`function ${name}(e: unknown, m: EventMeasure, c: Compact): boolean {`);
    w.lines.push(`  return common(e, m, c) && variant${i}(e);`);
    w.lines.push('}');
  });
  if (facts !== undefined) {
    const ids = variants.map(([id]) => id);
    if (facts.actions.length !== ids.length || facts.actions.some((a, i) => a.id !== ids[i])) throw new Error('the rule facts must list the same actions as the schemas, in the same order');
    eventRulesSource(common, facts, w);
  }
  out.push(`// Generated by packages/core/scripts/generate.ts from ${origin}. Do not edit: change the content and rebuild.`);
  out.push('/* eslint-disable */');
  out.push('');
  out.push('type Obj = Record<string, unknown>;');
  out.push('');
  out.push('/**');
  out.push(' * Where a check leaves the compact length of an event that passed the common check (as');
  out.push(' * src/validate/duplicate-keys.ts counts it: each string as its characters between two quotes;');
  out.push(' * NaN where that count answers -1). A check measures what it does not know field by field (open');
  out.push(' * objects, numbers) with its `Compact` argument: compactLength at that depth, NaN for -1.');
  out.push(' */');
  out.push('export interface EventMeasure {');
  out.push('  of: unknown;');
  out.push('  length: number;');
  out.push('}');
  out.push('type Compact = (value: unknown, depth: number) => number;');
  w.patterns.forEach((p, i) => out.push(`const PATTERN_${i} = new RegExp(${JSON.stringify(p)}, 'u');`));
  out.push('');
  out.push(...w.lines);
  out.push('');
  out.push('/**');
  out.push(' * The fast check of each action\'s events, by action id: true only when the event satisfies the');
  out.push(' * schema ajv compiles for that action (src/validate/validate.ts) and has no field the event model');
  out.push(' * does not define; false when it does not, or may not.');
  out.push(' */');
  out.push('export const EVENT_CHECKS: ReadonlyMap<string, (event: unknown, m: EventMeasure, c: Compact) => boolean> = new Map([');
  out.push(...names);
  out.push(']);');
  out.push('');
  return out.join('\n');
}

/** An expression reading a dotted path of the event `e` through objects (undefined where one on the way is not an object). */
function readPath(path: string): string {
  const keys = path.split('.');
  let expr = 'e';
  keys.forEach((key, i) => {
    expr = i === 0 ? `e[${JSON.stringify(key)}]` : `obj(${expr})?.[${JSON.stringify(key)}]`;
  });
  return expr;
}

/** Whether `s` starts with `prefix`, as an expression comparing character codes in place (Node 20's startsWith is slow). */
const startsWithCode = (s: string, prefix: string): string => [`${s}.length >= ${prefix.length}`, ...[...prefix].map((_, i) => `${s}.charCodeAt(${i}) === ${prefix.charCodeAt(i)}`)].join(' && ');

/**
 * The generated rule check, written to `w` after the fast checks: for each action, a function that
 * answers true only when the event passes the action's fast check (the schema ajv compiles) and
 * the hand-written rules of the validator (src/validate/validate.ts, ruleProblems, with the
 * catalog's service display name) would find nothing wrong with it. One pass: the common schema is
 * checked again in a function of its own (commonClean), and the rules then read the values it has
 * just read. The facts the rules read (CRN shapes, the text and event-time patterns, severity by
 * status code, the id prefixes of each kind of caller, each action's lifecycle dates and message
 * head) are written into the code as literals; the calendar and the search for secrets are the
 * validator's own (RuleHelpers). Any event it is not sure of goes to the validator, whose
 * hand-written rules explain what is wrong.
 */
function eventRulesSource(common: SchemaNode, facts: RuleFacts, w: CheckWriter): void {
  const lines = w.lines;
  const forbidden = facts.textForbidden === undefined ? new RegExp(facts.textPattern, 'u') : facts.textForbidden === '' ? undefined : new RegExp(facts.textForbidden);
  /** Whether a literal passes the text pattern. */
  const clean = (s: string) => (facts.textForbidden === undefined ? forbidden!.test(s) : forbidden === undefined || !forbidden.test(s));
  // The message rule: the message is the action's head, the target's name, and for a failure the
  // failure suffix. Where the target's name has the text pattern and the head and the suffix pass
  // it, a message that passed the message check passes the text pattern too: it is not searched again.
  const messageCovered = facts.textFields.includes('target.name') && facts.actions.every((a) => clean(a.head)) && clean(facts.failureSuffix);
  lines.push('');
  lines.push('/** What the rule check borrows from the validator: the calendar, and the search for unredacted secrets. */');
  lines.push('export interface RuleHelpers {');
  lines.push('  /** Whether an event time of the right form names a real date and time. */');
  lines.push('  time(t: string): boolean;');
  lines.push('  /** Whether request or response data holds no secret-looking key with a value that is not redacted (false: not sure). */');
  lines.push('  secretsFree(data: object): boolean;');
  lines.push('  /**');
  lines.push("   * For each field with the CRN pattern, in model order, the field's number of slots (RuleFacts,");
  lines.push('   * `remembered`): the values that last matched its shape, newest first (undefined: none yet).');
  lines.push('   */');
  lines.push('  readonly memo: { readonly crn: (string | undefined)[] };');
  lines.push('}');
  const objAt = lines.length;
  facts.crnFields.forEach((f, i) =>
    lines.push(
      `/** ${f.path}: a CRN of this service, in a region's location, account-scoped: this head (sticky: test() leaves lastIndex at its end), then no colon. */`,
      `const CRN_${i} = new RegExp(${JSON.stringify(f.head)}, 'y');`,
    ),
  );
  if (facts.textFields.length > 0) {
    if (facts.textForbidden === undefined) lines.push(`const TEXT = new RegExp(${JSON.stringify(facts.textPattern)}, 'u');`);
    else if (facts.textForbidden !== '') lines.push('/** The units the text pattern forbids. */', `const TEXT_FORBIDDEN = new RegExp(${JSON.stringify(facts.textForbidden)});`);
  }
  lines.push(`const EVENT_TIME = new RegExp(${JSON.stringify(facts.eventTimePattern)});`);
  lines.push('');
  lines.push('/**');
  lines.push(' * Whether an event passes the common schema (as common does, and then with the same measure)');
  lines.push(' * and every rule, for an action listed from `since` until `removed` (\'\': never removed) whose');
  lines.push(' * messages start with `head`. `n`: the length of the JSON text the event was parsed from, or -1');
  lines.push(' * (not known, or not worth using: see the end of the schema check).');
  lines.push(' */');
  // The members of the event are read by each action's clean function and given to commonClean:
  // the events of one action have few hidden classes (one or two key orders), those of every
  // action many, and a read that has seen more than four goes through V8's megamorphic cache.
  const signatureAt = lines.length;
  lines.push('');
  lines.push('  let len = 0;');
  w.locals = new Map();
  w.keysIf = 'n < 0';
  const given = { locals: [] as string[], reads: [] as string[] };
  w.given = given;
  checkNode(common, 'e', w, '  ', '', { sum: 'len', depth: 0 });
  w.given = undefined;
  w.keysIf = undefined;
  lines[signatureAt] = `function commonClean(e: unknown, ${given.locals.map((l) => `${l}: unknown`).join(', ')}, m: EventMeasure, c: Compact, h: RuleHelpers, lifecycle: boolean, since: string, removed: string, head: string, n: number): boolean {`;
  const locals = w.locals;
  w.locals = undefined;
  lines.push('  m.of = e;');
  lines.push('  m.length = len;');
  // The keys of closed objects, with the text's length. The measure counts the members the schema
  // check read, each as long as its shortest writing; the text writes each of them at least that
  // long, and any other member (or one a repeated key dropped) adds at least `"":0,` to it, as
  // white space does (duplicate-keys.ts, mayHaveDuplicateKeys, test 1). So a text exactly as long
  // as the measure holds no key the schema check did not read: the loops over the keys, skipped
  // above, would have found none. Any other text goes on to the validator's other checks.
  lines.push('  if (n >= 0 && len !== n) return false;');
  /** The value at a dotted path: the local the schema check read it into, or read again. */
  const at = (path: string): string => locals.get(`/${path.split('.').join('/')}`) ?? readPath(path).replace(/^e\[/, '(e as Obj)[');
  // A CRN equal to one remembered is not matched again; one that matches is remembered, first
  // (the others move down one slot, the last is dropped).
  let slot = 0;
  facts.crnFields.forEach((f, i) => {
    if (!Number.isInteger(f.remembered) || f.remembered < 1) throw new Error(`a CRN field remembers at least one CRN, not ${f.remembered} (${f.path})`);
    const slots = Array.from({ length: f.remembered }, (_, k) => slot + k);
    slot += f.remembered;
    lines.push(`  const crn${i} = ${at(f.path)};`);
    lines.push(`  if (typeof crn${i} === 'string' && ${slots.map((k) => `crn${i} !== h.memo.crn[${k}]`).join(' && ')}) {`);
    lines.push(`    CRN_${i}.lastIndex = 0;`);
    lines.push(`    if (!CRN_${i}.test(crn${i}) || crn${i}.indexOf(':', CRN_${i}.lastIndex) >= 0) return false;`);
    for (let k = slots.length - 1; k > 0; k--) lines.push(`    h.memo.crn[${slots[k]}] = h.memo.crn[${slots[k - 1]}];`);
    lines.push(`    h.memo.crn[${slots[0]}] = crn${i};`);
    lines.push('  }');
  });
  facts.eventTimeFields.forEach((path, i) => {
    lines.push(`  const time${i} = ${at(path)};`);
    lines.push(`  if (typeof time${i} === 'string' && (!EVENT_TIME.test(time${i}) || !h.time(time${i}))) return false;`);
  });
  facts.textFields.forEach((path, i) => {
    if (path === 'message' && messageCovered) {
      lines.push('  // message: covered by the message check below (the head and the suffix are clean text, target.name is checked here).');
      return;
    }
    if (facts.textForbidden === '') return;
    lines.push(`  const text${i} = ${at(path)};`);
    const bad = facts.textForbidden === undefined ? `!TEXT.test(text${i})` : `TEXT_FORBIDDEN.test(text${i})`;
    lines.push(`  if (typeof text${i} === 'string' && ${bad}) return false;`);
  });
  // Severity by status code, then outcome by status code, then the reason type of a failure.
  lines.push(`  const outcome = ${at('outcome')};`);
  lines.push(`  const code = ${at('reason.reasonCode')};`);
  lines.push("  if (typeof code === 'number') {");
  lines.push(`    const severity = ${at('severity')};`);
  lines.push("    if (typeof severity !== 'string') return false;");
  lines.push('    switch (code) {');
  const bySeverity = new Map<string, number[]>();
  for (const [code, severity] of Object.entries(facts.statusSeverity)) {
    const n = Number(code);
    if (!Number.isInteger(n) || n < 100 || n > 599) throw new Error(`a status code of the severity table must be an integer from 100 to 599, not ${code}`);
    bySeverity.set(severity, [...(bySeverity.get(severity) ?? []), n]);
  }
  for (const [severity, codes] of bySeverity) {
    for (const c of codes) lines.push(`      case ${c}:`);
    lines.push(`        if (severity !== ${JSON.stringify(severity)}) return false;`);
    lines.push('        break;');
  }
  lines.push('      default:');
  lines.push("        if (outcome === 'failure' && severity === 'normal') return false;");
  lines.push('    }');
  lines.push("    if (typeof outcome !== 'string') return false;");
  lines.push("    if (outcome === 'failure' ? code < 400 : code >= 400) return false;");
  lines.push('  }');
  lines.push(`  if (outcome === 'failure' && ${at('reason.reasonType')} === undefined) return false;`);
  // The initiator's type URI by the kind of caller its id names (the first prefix that matches, in model order).
  lines.push(`  const id = ${at('initiator.id')};`);
  lines.push(`  const typeURI = ${at('initiator.typeURI')};`);
  lines.push("  if (typeof id === 'string' && typeof typeURI === 'string') {");
  const branches = facts.initiatorKinds.flatMap((k) => k.idPrefixes.map((p) => ({ p, typeURI: k.typeURI })));
  branches.forEach(({ p, typeURI }, i) => {
    lines.push(`    ${i === 0 ? '' : '} else '}if (${startsWithCode('id', p)}) {`);
    lines.push(`      if (typeURI !== ${JSON.stringify(typeURI)}) return false;`);
  });
  if (branches.length > 0) lines.push('    }');
  lines.push('  }');
  // Secrets in request and response data.
  for (const key of ['requestData', 'responseData']) {
    lines.push(`  const ${key} = ${at(key)};`);
    lines.push(`  if (${key} !== null && typeof ${key} === 'object' && !h.secretsFree(${key})) return false;`);
  }
  // The lifecycle: a well-formed event time compares with a day as its own first ten characters do.
  lines.push(`  const t = ${at('eventTime')};`);
  lines.push("  if (lifecycle && typeof t === 'string' && (t < since || (removed !== '' && removed <= t))) return false;");
  // The message: the head, the target's name, and for a failure the suffix; nothing else (a
  // message with more goes to the hand-written rule).
  lines.push(`  const message = ${at('message')};`);
  lines.push(`  const name = ${at('target.name')};`);
  lines.push("  if (typeof message !== 'string' || typeof name !== 'string') return false;");
  lines.push('  const end = head.length + name.length;');
  // indexOf at the place each part must start, after the lengths are known to fit: in Node 20 it
  // costs less than startsWith, a comparison of slices, or a loop over charCodeAt (instruction
  // counts; the search ends at once where the part is there).
  lines.push(`  if (outcome === 'failure' ? message.length !== end + ${facts.failureSuffix.length} || message.indexOf(${JSON.stringify(facts.failureSuffix)}, end) !== end : message.length !== end) return false;`);
  lines.push('  return message.indexOf(head) === 0 && message.indexOf(name, head.length) === head.length;');
  lines.push('}');
  const names: string[] = [];
  facts.actions.forEach((a, i) => {
    names.push(`  [${JSON.stringify(a.id)}, clean${i}],`);
    lines.push('');
    lines.push(`/** ${a.id}: listed from ${a.since}${a.removed ? `, removed on ${a.removed}` : ''}. */`);
    lines.push(`function clean${i}(e: unknown, m: EventMeasure, c: Compact, lifecycle: boolean, h: RuleHelpers, n: number): boolean {`);
    lines.push("  if (e === null || typeof e !== 'object') return false;");
    lines.push(`  return commonClean(e, ${given.reads.join(', ')}, m, c, h, lifecycle, ${JSON.stringify(a.since)}, ${JSON.stringify(a.removed ?? '')}, ${JSON.stringify(a.head)}, n) && variant${i}(e);`);
    lines.push('}');
  });
  lines.push('');
  lines.push('/**');
  lines.push(" * The whole-event check of each action's events, by action id: true only when the event passes");
  lines.push(" * the action's fast check (EVENT_CHECKS, with the same measure) and the validator's rules find");
  lines.push(" * nothing wrong with it (with the catalog's service display name; `lifecycle`: the lifecycle");
  lines.push(' * option; `n`: the length of the JSON text the event was parsed from, -1 where not known);');
  lines.push(' * false when they may.');
  lines.push(' */');
  // The reader of an object on a path the schema check did not read (written only where one is read).
  if (lines.slice(objAt).some((l) => l.includes('obj('))) {
    lines.splice(objAt, 0, "const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);");
  }
  lines.push('export const EVENT_CLEAN_CHECKS: ReadonlyMap<string, (event: unknown, m: EventMeasure, c: Compact, lifecycle: boolean, h: RuleHelpers, n: number) => boolean> = new Map([');
  lines.push(...names);
  lines.push(']);');
}
