import { z } from 'zod';
import type { ContentProblem } from './problems.js';
import type { EventFieldDef, EventModelDef, InitiatorKindDef } from './types.js';
import type { YamlSource } from './yaml.js';

/**
 * content/catalog/event.yaml: its shape (zod), then what relates its entries to each other
 * (parents before children, value sets and patterns that exist, constants of the right type).
 * Every problem names the file, the line and the key.
 */

const name = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'expected a name such as credentialType');
const fieldPath = z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/, 'expected a dotted path such as initiator.host.address');

const EVENT_FIELD_TYPES = ['string', 'integer', 'boolean', 'object'] as const;

const eventFieldSchema = z
  .object({
    path: fieldPath,
    type: z.enum(EVENT_FIELD_TYPES),
    required: z.boolean().optional(),
    nonEmpty: z.boolean().optional(),
    values: name.optional(),
    const: z.union([z.string(), z.number(), z.boolean()]).optional(),
    pattern: name.optional(),
    minimum: z.number().int().optional(),
    maximum: z.number().int().optional(),
    open: z.boolean().optional(),
  })
  .strict();

const valueText = z.string().min(1);

export const eventModelSchema = z
  .object({
    values: z.record(name, z.array(valueText).min(1)),
    patterns: z.record(name, z.string().min(1)),
    initiatorKinds: z
      .array(
        z
          .object({
            kind: z.string().regex(/^[a-z][a-z0-9]*$/, 'expected a lower-case kind such as serviceid'),
            typeURI: z.string().min(1),
            credential: valueText,
            idPrefixes: z.array(valueText),
          })
          .strict(),
      )
      .min(1),
    statusSeverity: z.record(z.string().regex(/^[1-5]\d\d$/, 'expected an HTTP status code (100-599)'), valueText),
    fields: z.array(eventFieldSchema).min(1),
  })
  .strict();

export type EventModelYaml = z.infer<typeof eventModelSchema>;

/** The value set the model derives rather than lists: the typeURI of each kind of caller. */
const INITIATOR_TYPE_URI_VALUES = 'initiatorTypeURI';

/** Value sets the code relies on by name (the composer, the catalog's actions). */
const NEEDED_VALUES = ['outcome', 'severity', 'credentialType', 'addressType', 'targetKind'] as const;

/**
 * Checks event.yaml beyond its shape and returns the model, or undefined when the file could
 * not be read at all. Problems go to `problems`.
 */
export function checkEventModel(source: YamlSource<EventModelYaml>, problems: ContentProblem[]): EventModelDef | undefined {
  const model = source.value;
  if (!model) return undefined;
  const at = (keys: (string | number)[], message: string) =>
    problems.push({ file: source.file, line: source.lineOf(keys), key: keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join(''), message });

  const values: Record<string, string[]> = {};
  for (const [set, list] of Object.entries(model.values)) {
    if (set === INITIATOR_TYPE_URI_VALUES) at(['values', set], `${set} is derived from initiatorKinds; do not list it`);
    const seen = new Set<string>();
    list.forEach((v, i) => {
      if (seen.has(v)) at(['values', set, i], `duplicate value ${JSON.stringify(v)}`);
      seen.add(v);
    });
    values[set] = list;
  }
  for (const need of NEEDED_VALUES) if (!values[need]) at(['values'], `the value set ${need} is missing`);

  const patterns: Record<string, string> = {};
  for (const [key, source] of Object.entries(model.patterns)) {
    try {
      new RegExp(source, 'u');
    } catch (err) {
      at(['patterns', key], `not a regular expression: ${(err as Error).message}`);
      continue;
    }
    if (!source.startsWith('^') || !source.endsWith('$')) at(['patterns', key], 'must be anchored: start with ^ and end with $');
    patterns[key] = source;
  }

  const kinds: InitiatorKindDef[] = [];
  const kindNames = new Set<string>();
  const typeUris = new Set<string>();
  model.initiatorKinds.forEach((k, i) => {
    if (kindNames.has(k.kind)) at(['initiatorKinds', i, 'kind'], `duplicate kind ${k.kind}`);
    if (typeUris.has(k.typeURI)) at(['initiatorKinds', i, 'typeURI'], `duplicate typeURI ${k.typeURI}`);
    kindNames.add(k.kind);
    typeUris.add(k.typeURI);
    if (values.credentialType && !values.credentialType.includes(k.credential)) {
      at(['initiatorKinds', i, 'credential'], `unknown credential type ${JSON.stringify(k.credential)}; credentialType has ${values.credentialType.join(', ')}`);
    }
    kinds.push({ kind: k.kind, typeURI: k.typeURI, credential: k.credential, idPrefixes: k.idPrefixes });
  });
  values[INITIATOR_TYPE_URI_VALUES] = kinds.map((k) => k.typeURI);

  const statusSeverity: Record<string, string> = {};
  for (const [code, severity] of Object.entries(model.statusSeverity)) {
    if (values.severity && !values.severity.includes(severity)) at(['statusSeverity', code], `unknown severity ${JSON.stringify(severity)}; severity has ${values.severity.join(', ')}`);
    statusSeverity[code] = severity;
  }

  const fields: EventFieldDef[] = [];
  const byPath = new Map<string, { index: number; field: EventFieldDef }>();
  model.fields.forEach((f, i) => {
    const bad = (key: string, message: string) => at(['fields', i, key], `${f.path}: ${message}`);
    const dot = f.path.lastIndexOf('.');
    const parent = dot < 0 ? '' : f.path.slice(0, dot);
    const first = byPath.get(f.path);
    if (first) bad('path', `duplicate field, first defined at fields[${first.index}] (line ${source.lineOf(['fields', first.index, 'path'])})`);
    if (parent) {
      const p = byPath.get(parent)?.field;
      if (!p) bad('path', `its object ${parent} must be listed before it`);
      else if (p.type !== 'object') bad('path', `${parent} is a ${p.type}, not an object`);
      else if (p.open) bad('path', `${parent} is open (its fields are free); it lists no fields`);
    }
    if (f.open && f.type !== 'object') bad('open', 'only an object can be open');
    if (f.nonEmpty && f.type !== 'string') bad('nonEmpty', 'only a string can be non-empty');
    if (f.pattern !== undefined) {
      if (f.type !== 'string') bad('pattern', 'only a string can have a pattern');
      else if (!(f.pattern in model.patterns)) bad('pattern', `unknown pattern ${f.pattern}; patterns are ${Object.keys(model.patterns).join(', ')}`);
    }
    if (f.values !== undefined) {
      if (f.type !== 'string') bad('values', 'only a string can take its values from a value set');
      else if (!values[f.values]) bad('values', `unknown value set ${f.values}; value sets are ${Object.keys(values).join(', ')}`);
    }
    if (f.const !== undefined && typeof f.const !== (f.type === 'integer' ? 'number' : f.type)) bad('const', `a ${f.type} field cannot have the constant ${JSON.stringify(f.const)}`);
    if ((f.minimum !== undefined || f.maximum !== undefined) && f.type !== 'integer') bad(f.minimum !== undefined ? 'minimum' : 'maximum', 'only an integer has bounds');
    if (f.minimum !== undefined && f.maximum !== undefined && f.minimum > f.maximum) bad('maximum', `maximum ${f.maximum} is below minimum ${f.minimum}`);
    const def: EventFieldDef = {
      path: f.path,
      key: f.path.slice(dot + 1),
      parent,
      type: f.type,
      required: f.required ?? false,
      nonEmpty: f.nonEmpty ?? false,
      open: f.open ?? false,
      ...(f.values !== undefined ? { values: f.values } : {}),
      ...(f.const !== undefined ? { const: f.const } : {}),
      ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
      ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
      ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
      leaf: true,
    };
    if (parent) {
      const p = byPath.get(parent);
      if (p) p.field = { ...p.field, leaf: false };
    }
    byPath.set(f.path, { index: i, field: def });
    fields.push(def);
  });
  // Parents learnt that they have fields after they were pushed.
  return { values, patterns, initiatorKinds: kinds, statusSeverity, fields: fields.map((f) => byPath.get(f.path)!.field) };
}
