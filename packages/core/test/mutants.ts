import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import {
  allActions,
  eventSchema,
  hasSampleEvents,
  INITIATOR_TYPE_URIS,
  memorySink,
  sampleEvents,
  seededRandom,
  simulate,
  type JsonSchema,
  type Random,
} from '../src/index.js';

/**
 * Mutants of valid events, for the differential test of the validator against the published
 * schema (src/validate/differential.test.ts): the fast validator may be stricter than the schema,
 * never more lenient. The mutations walk each event's own structure (every field at every depth,
 * found by its value's type or by what the schema says of its path), so new fields are mutated
 * without being listed here.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Key = string | number;

export const MUTATION_KINDS = [
  /** a field removed, at any depth, required or not */
  'remove',
  /** a non-empty string made '' */
  'empty',
  /** a value of another JSON type (string → number/null/object/array/boolean, object → string/array, integer → float/string, boolean → string…) */
  'retype',
  /** an unknown field added to an object, at any depth */
  'extra',
  /** a value outside a field's enum or const (the schema says which fields have one) */
  'enum',
  /** a CRN broken: segment count, prefix, empty segments, service, location, scope, junk, length */
  'crn',
  /** an event time broken: fraction digits, t, Z, impossible dates and times, junk */
  'time',
  /** the action changed to another, unknown or malformed id */
  'action',
  /** a typeURI changed to another type or a malformed one */
  'typeURI',
  /** a number out of range, not an integer or huge */
  'number',
  /** a boolean flipped (dataEvent, saveServiceCopy) */
  'flip',
  /** a string given control characters, or replaced by them */
  'control',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

interface Mutation {
  kind: MutationKind;
  /** JSON pointer of the field mutated (of the object a field was added to, for extra). */
  path: string;
  /** What was done, for a reader of a failure. */
  note: string;
}

export interface Mutant {
  /** Position in the generated list. */
  index: number;
  /** Position of the valid event it was made from. */
  base: number;
  event: Json;
  mutations: Mutation[];
}

// --- valid events ---------------------------------------------------------------------------------

/**
 * Varied valid events: simulated ones (many actions, callers, regions, outcomes) and the success and
 * failure samples of every emittable action; then each of them again with every optional field the
 * common schema defines and the event lacks (target.host, target.alias, initiator.authnId…), so
 * that mutations reach those too.
 */
export async function validEvents(options: { count?: number; seed?: string } = {}): Promise<Json[]> {
  const sink = memorySink();
  await simulate({ count: options.count ?? 300, seed: options.seed ?? 'differential', sink, start: new Date('2024-05-01T00:00:00Z') });
  const simulated = sink.lines().map((line) => JSON.parse(line) as Json);
  const samples = allActions()
    .filter((a) => hasSampleEvents(a.id))
    .flatMap((a) => {
      const s = sampleEvents(a.id);
      return [s.success.event, s.failure.event];
    })
    .map((e) => JSON.parse(JSON.stringify(e)) as Json);
  const plain = [...simulated, ...samples];
  return [...plain, ...plain.map(withOptionalFields)];
}

const isObject = (v: unknown): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A valid value for a schema node: its const, its first enum value, a string, false, its minimum, an object with its fields. */
function synthesize(node: JsonSchema): Json {
  if ('const' in node) return node.const as Json;
  if (Array.isArray(node.enum)) return node.enum[0] as Json;
  switch (node.type) {
    case 'string':
      return 'synthetic';
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return (node.minimum as number | undefined) ?? 0;
    case 'object': {
      const o: { [key: string]: Json } = {};
      fillOptional(node, o);
      return o;
    }
    default:
      return null;
  }
}

/** Adds to `value` every field of `node` it lacks, recursively. */
function fillOptional(node: JsonSchema, value: Json): void {
  if (!isObject(value)) return;
  const props = (node.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, child] of Object.entries(props)) {
    if (key in value) fillOptional(child, value[key]!);
    else value[key] = synthesize(child);
  }
}

/** A copy of an event with every field of the common schema it lacks. */
function withOptionalFields(event: Json): Json {
  const copy = structuredClone(event);
  fillOptional(commonSchema(), copy);
  return copy;
}

// --- what the published schema says of a path ------------------------------------------------------

let schemaCache: JsonSchema | undefined;
const published = (): JsonSchema => (schemaCache ??= eventSchema());
const commonSchema = () => (published().$defs as Record<string, JsonSchema>).event!;

/** The schema nodes of a path: of the common event, of the action's variant and of the top level. */
function schemaNodesAt(event: Json, path: readonly Key[]): JsonSchema[] {
  const defs = published().$defs as Record<string, JsonSchema>;
  const action = isObject(event) && typeof event.action === 'string' ? defs[event.action] : undefined;
  let nodes: JsonSchema[] = [defs.event!, published(), ...(action ? [action] : [])];
  for (const key of path) {
    nodes = nodes.flatMap((n) => {
      const child = (n.properties as Record<string, JsonSchema> | undefined)?.[String(key)];
      return child ? [child] : [];
    });
  }
  return nodes;
}

const allowedCache = new Map<string, Json[] | undefined>();

/** The values the schema allows at a path (enum or const), or undefined when it does not list them. */
function allowedValues(event: Json, path: readonly Key[]): Json[] | undefined {
  const key = `${isObject(event) ? String(event.action) : ''} ${pointer(path)}`;
  if (!allowedCache.has(key)) allowedCache.set(key, allowedValuesOf(event, path));
  return allowedCache.get(key);
}

function allowedValuesOf(event: Json, path: readonly Key[]): Json[] | undefined {
  const out: Json[] = [];
  let listed = false;
  for (const n of schemaNodesAt(event, path)) {
    if ('const' in n) (listed = true), out.push(n.const as Json);
    if (Array.isArray(n.enum)) (listed = true), out.push(...(n.enum as Json[]));
  }
  return listed ? out : undefined;
}

/** Every value any enum or const of the schema lists: wrong values that look right elsewhere. */
let enumPool: Json[] | undefined;
function allEnumValues(): Json[] {
  if (enumPool) return enumPool;
  const out = new Set<Json>();
  const visit = (n: unknown): void => {
    if (!isObject(n)) return;
    if ('const' in n) out.add(n.const as Json);
    if (Array.isArray(n.enum)) for (const v of n.enum) out.add(v as Json);
    Object.values(n).forEach((v) => (Array.isArray(v) ? v.forEach(visit) : visit(v)));
  };
  visit(published());
  return (enumPool = [...out].filter((v) => typeof v === 'string'));
}

// --- where to mutate -------------------------------------------------------------------------------

interface Site {
  path: Key[];
  value: Json;
}

/** Every value of an event (the event itself first), with its path. */
function sitesOf(event: Json): Site[] {
  const out: Site[] = [];
  const visit = (value: Json, path: Key[]) => {
    out.push({ path, value });
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(event, []);
  return out;
}

const pointer = (path: readonly Key[]) => path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function parentOf(event: Json, path: readonly Key[]): Json {
  let node = event;
  for (const k of path.slice(0, -1)) node = (node as Record<string, Json>)[k as string]!;
  return node;
}

function setAt(event: Json, path: readonly Key[], value: Json): void {
  const parent = parentOf(event, path) as Record<string, Json>;
  parent[path.at(-1) as string] = value;
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 50)}…(${text.length} chars)` : text;
};

// --- the mutations ---------------------------------------------------------------------------------

type Mutator = (event: Json, rnd: Random) => Mutation | undefined;

const isInteger = (v: Json): v is number => typeof v === 'number' && Number.isInteger(v);

/** Picks a site the predicate admits, or undefined. */
function pickSite(event: Json, rnd: Random, admit: (s: Site) => boolean): Site | undefined {
  const sites = sitesOf(event).filter(admit);
  return sites.length ? rnd.pick(sites) : undefined;
}

const nonRoot = (s: Site) => s.path.length > 0;
const stringLeaf = (s: Site) => nonRoot(s) && typeof s.value === 'string';
const lastKey = (s: Site) => s.path.at(-1);

function replace(kind: MutationKind, event: Json, site: Site, value: Json): Mutation {
  setAt(event, site.path, value);
  return { kind, path: pointer(site.path), note: `${show(site.value)} → ${show(value)}` };
}

const CONTROL = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ud800'];

/** Keys an object may wrongly be given: unknown ones, near-misses, keys of other objects, legacy fields, prototype names. */
const EXTRA_KEYS = ['extra', 'x-debug', 'Message', 'ID', 'id ', '', ' ', 'password', 'apikey', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'payload', 'meta', 'requestHeader', 'latencies', 'tag', 'authnID', 'type', 'name', 'address', 'agent', 'reasonCode', 'host', 'credential'];
const EXTRA_VALUES: Json[] = ['x', '', 1, 0.5, null, true, {}, [], { a: 1 }, ['x']];

const CRN_MUTATIONS: readonly [string, (segs: string[], rnd: Random) => string][] = [
  ['a colon removed', (s, rnd) => {
    const at = 1 + rnd.int(s.length - 1);
    return [...s.slice(0, at - 1), `${s[at - 1]}${s[at]}`, ...s.slice(at + 1)].join(':');
  }],
  ['a colon added', (s, rnd) => {
    const text = s.join(':');
    const at = rnd.int(text.length + 1);
    return `${text.slice(0, at)}:${text.slice(at)}`;
  }],
  ['drop the last segment', (s) => s.slice(0, -1).join(':')],
  ['add a segment', (s) => [...s, 'extra'].join(':')],
  ['add two segments', (s) => [...s, 'x', 'y'].join(':')],
  ['the service-instance segment dropped', (s) => s.filter((_, i) => i !== 7).join(':')],
  ['a raw colon in the resource', (s) => [...s.slice(0, 9), `${s[9]}:latest`].join(':')],
  ['prefix crn:v2', (s) => ['crn', 'v2', ...s.slice(2)].join(':')],
  ['prefix CRN:v1', (s) => ['CRN', ...s.slice(1)].join(':')],
  ['prefix urn', (s) => ['urn', ...s.slice(1)].join(':')],
  ['no prefix', (s) => s.slice(2).join(':')],
  ['leading space', (s) => ` ${s.join(':')}`],
  ['trailing newline', (s) => `${s.join(':')}\n`],
  ['empty cname', (s) => s.map((x, i) => (i === 2 ? '' : x)).join(':')],
  ['empty ctype', (s) => s.map((x, i) => (i === 3 ? '' : x)).join(':')],
  ['empty service name', (s) => s.map((x, i) => (i === 4 ? '' : x)).join(':')],
  ['other service', (s) => s.map((x, i) => (i === 4 ? 'cloud-object-storage' : x)).join(':')],
  ['service name near miss', (s) => s.map((x, i) => (i === 4 ? `${x}s` : x)).join(':')],
  ['bad location', (s) => s.map((x, i) => (i === 5 ? 'mars-north' : x)).join(':')],
  ['upper-case location', (s) => s.map((x, i) => (i === 5 ? x.toUpperCase() : x)).join(':')],
  ['empty location', (s) => s.map((x, i) => (i === 5 ? '' : x)).join(':')],
  ['empty scope', (s) => s.map((x, i) => (i === 6 ? '' : x)).join(':')],
  ['organization scope', (s) => s.map((x, i) => (i === 6 ? 'o/0123' : x)).join(':')],
  ['scope a/ without account', (s) => s.map((x, i) => (i === 6 ? 'a/' : x)).join(':')],
  ['scope a/-x', (s) => s.map((x, i) => (i === 6 ? 'a/-x' : x)).join(':')],
  ['resource type without resource type segment', (s) => [...s.slice(0, 8), '', s[9] || 'thing'].join(':')],
  ['percent junk in the resource', (s) => [...s.slice(0, 9), `${s[9]}%zz%`].join(':')],
  ['percent-encoded colon in the service', (s) => s.map((x, i) => (i === 4 ? `${x}%3A` : x)).join(':')],
  ['very long resource', (s) => [...s.slice(0, 9), 'r'.repeat(20_000)].join(':')],
  ['very long cname', (s) => s.map((x, i) => (i === 2 ? 'c'.repeat(5_000) : x)).join(':')],
  ['only colons', () => ':::::::::'],
  ['crn:v1: and nothing else', () => 'crn:v1:'],
];

/** `s` with the character at `at` replaced by `c`. */
const replaceAt = (s: string, at: number, c: string) => `${s.slice(0, at)}${c}${s.slice(at + 1)}`;

/** What replaces a character of an event time: for a digit, a character that only looks like one or is none; for a separator, a digit or another separator. */
const wrongCharacter = (c: string, rnd: Random) => (/\d/.test(c) ? rnd.pick(['x', ' ', '-', '.', '\u0664', '\uff14', '\u00b2']) : rnd.pick(['0', 'x', ' ', c === '-' ? ':' : '-']));

/** Character-level damage anywhere in an event time (most time mutations, so that every position is reached often). */
const TIME_CHARACTER_MUTATIONS: readonly [string, (t: string, rnd: Random) => string][] = [
  ['a character replaced', (t, rnd) => {
    const at = rnd.int(t.length);
    return replaceAt(t, at, wrongCharacter(t.charAt(at), rnd));
  }],
  ['a character removed', (t, rnd) => replaceAt(t, rnd.int(t.length), '')],
  ['a character doubled', (t, rnd) => {
    const at = rnd.int(t.length);
    return replaceAt(t, at, t.charAt(at).repeat(2));
  }],
];

const TIME_MUTATIONS: readonly [string, (t: string, rnd: Random) => string][] = [
  ['one fraction digit', (t) => t.replace(/\.(\d)\d/, '.$1')],
  ['three fraction digits', (t) => t.replace(/\.(\d\d)/, (_, d: string) => `.${d}0`)],
  ['no fraction', (t) => t.replace(/\.\d\d/, '')],
  ['lower-case t', (t) => t.replace('T', 't')],
  ['space for T', (t) => t.replace('T', ' ')],
  ['Z for +0000', (t) => t.replace('+0000', 'Z')],
  ['+00:00', (t) => t.replace('+0000', '+00:00')],
  ['-0000', (t) => t.replace('+0000', '-0000')],
  ['+0100', (t) => t.replace('+0000', '+0100')],
  ['no offset', (t) => t.replace('+0000', '')],
  ['2025-02-30', (t) => `2025-02-30${t.slice(10)}`],
  ['2023-02-29', (t) => `2023-02-29${t.slice(10)}`],
  ['2024-02-29 (real)', (t) => `2024-02-29${t.slice(10)}`],
  ['month 13', (t) => `${t.slice(0, 5)}13${t.slice(7)}`],
  ['month 00', (t) => `${t.slice(0, 5)}00${t.slice(7)}`],
  ['day 00', (t) => `${t.slice(0, 8)}00${t.slice(10)}`],
  ['April 31', (t) => `${t.slice(0, 5)}04-31${t.slice(10)}`],
  ['year 0000', (t) => `0000${t.slice(4)}`],
  ['24:00:00', (t) => `${t.slice(0, 11)}24:00:00${t.slice(19)}`],
  ['23:60:00', (t) => `${t.slice(0, 11)}23:60:00${t.slice(19)}`],
  ['23:59:60', (t) => `${t.slice(0, 11)}23:59:60${t.slice(19)}`],
  ['trailing space', (t) => `${t} `],
  ['trailing newline', (t) => `${t}\n`],
  ['trailing junk', (t) => `${t}x`],
  ['leading space', (t) => ` ${t}`],
  ['five-digit year', (t) => `1${t}`],
  ['ISO with Z', (t) => `${t.slice(0, 19)}.000Z`],
  ['Arabic-Indic digit', (t) => `${t.slice(0, 3)}\u0664${t.slice(4)}`],
  ['full-width digit', (t) => `${t.slice(0, 3)}\uff14${t.slice(4)}`],
  ['slashes', (t) => t.slice(0, 10).replace(/-/g, '/') + t.slice(10)],
  ['date only', (t) => t.slice(0, 10)],
];

const BAD_ACTION_IDS = [
  'container-registry.image.frobnicate',
  'container-registry.widget.push',
  'cloud-object-storage.image.push',
  'Container-Registry.image.push',
  'container-registry.image',
  'container-registry.image.push.extra',
  'container-registry..push',
  'container-registry.image.',
  '.image.push',
  'container-registry.image.push ',
  ' container-registry.image.push',
  'container-registry.image.push\n',
  'container-registry.IMAGE.push',
  'container_registry.image.push',
  'container-registry.image.pu$h',
  'image.push',
  '',
  '1container-registry.image.push',
];

const BAD_TYPE_URIS = ['container-registry', 'container-registry/', 'container-registry//image', 'Container-registry/image', 'container-registry/im age', 'container-registry/image/', '/container-registry/image', 'container_registry/image', 'service/security/account/User', 'service/security/account', 'data/security/account/user'];

const NUMBERS: Json[] = [99, 100, 599, 600, 0, -1, -200, 1000, 1e21, 200.5, 404.0001, 599.9, 2 ** 53, Number.MAX_VALUE, -0];

const retypes = (v: Json): Json[] => {
  if (typeof v === 'string') return [0, 1.5, -1, null, true, false, {}, [], [v], { value: v }];
  if (typeof v === 'number') return isInteger(v) ? [v + 0.5, String(v), null, true, [v], {}] : [Math.round(v), String(v), null];
  if (typeof v === 'boolean') return [String(v), v ? 1 : 0, null, [v], {}];
  if (Array.isArray(v)) return ['x', {}, null, 0];
  if (isObject(v)) return [JSON.stringify(v), 'x', '', [], [v], null, 0, true];
  return ['', 0, false, {}, []];
};

/** Values near an allowed one: case changed, spaces, a letter more or less, other fields' values. */
function wrongEnumValues(value: Json, allowed: readonly Json[]): Json[] {
  const s = String(value);
  const candidates: Json[] = [s.toUpperCase(), s.toLowerCase(), s.charAt(0).toUpperCase() + s.slice(1), `${s} `, ` ${s}`, `${s}x`, s.slice(0, -1), ...allEnumValues()];
  return candidates.filter((c) => !allowed.includes(c));
}

const MUTATORS: Record<MutationKind, Mutator> = {
  remove(event, rnd) {
    const site = pickSite(event, rnd, nonRoot);
    if (!site) return undefined;
    const parent = parentOf(event, site.path);
    if (Array.isArray(parent)) parent.splice(lastKey(site) as number, 1);
    else delete (parent as Record<string, Json>)[lastKey(site) as string];
    return { kind: 'remove', path: pointer(site.path), note: `removed (was ${show(site.value)})` };
  },
  empty(event, rnd) {
    const site = pickSite(event, rnd, (s) => stringLeaf(s) && s.value !== '');
    return site && replace('empty', event, site, '');
  },
  retype(event, rnd) {
    const site = pickSite(event, rnd, nonRoot);
    return site && replace('retype', event, site, rnd.pick(retypes(site.value)));
  },
  extra(event, rnd) {
    const site = pickSite(event, rnd, (s) => isObject(s.value));
    if (!site) return undefined;
    const obj = site.value as Record<string, Json>;
    // Keys of the event's other objects are plausible mistakes too.
    const keys = [...EXTRA_KEYS, ...sitesOf(event).filter(nonRoot).map((s) => String(lastKey(s)))].filter((k) => !Object.prototype.hasOwnProperty.call(obj, k));
    const key = rnd.pick(keys);
    const value = structuredClone(rnd.pick(EXTRA_VALUES)); // a copy: a later mutation may add to it
    // An own property even for __proto__, as JSON.parse makes it.
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    return { kind: 'extra', path: pointer(site.path), note: `added ${JSON.stringify(key)}: ${show(value)}` };
  },
  enum(event, rnd) {
    const withValues = sitesOf(event)
      .filter((s) => nonRoot(s) && (typeof s.value === 'string' || typeof s.value === 'number'))
      .map((s) => ({ site: s, allowed: allowedValues(event, s.path) }))
      .filter((x): x is { site: Site; allowed: Json[] } => x.allowed !== undefined);
    if (!withValues.length) return undefined;
    const { site, allowed } = rnd.pick(withValues);
    const wrong = wrongEnumValues(site.value, allowed);
    return wrong.length ? replace('enum', event, site, rnd.pick(wrong)) : undefined;
  },
  crn(event, rnd) {
    const site = pickSite(event, rnd, (s) => stringLeaf(s) && (s.value as string).startsWith('crn:'));
    if (!site) return undefined;
    const [name, mutate] = rnd.pick(CRN_MUTATIONS);
    const m = replace('crn', event, site, mutate((site.value as string).split(':'), rnd));
    return { ...m, note: `${name}: ${m.note}` };
  },
  time(event, rnd) {
    const site = pickSite(event, rnd, (s) => stringLeaf(s) && /^\d{4}-\d{2}-\d{2}T/.test(s.value as string));
    if (!site) return undefined;
    const r = rnd.next();
    const [name, mutate] = r < 0.5 ? TIME_CHARACTER_MUTATIONS[0]! : r < 0.7 ? rnd.pick(TIME_CHARACTER_MUTATIONS) : rnd.pick(TIME_MUTATIONS);
    const m = replace('time', event, site, mutate(site.value as string, rnd));
    return { ...m, note: `${name}: ${m.note}` };
  },
  action(event, rnd) {
    const site = pickSite(event, rnd, (s) => stringLeaf(s) && lastKey(s) === 'action');
    if (!site) return undefined;
    const value = rnd.next() < 0.4 ? rnd.pick(allActions()).id : rnd.pick(BAD_ACTION_IDS);
    return replace('action', event, site, value);
  },
  typeURI(event, rnd) {
    const site = pickSite(event, rnd, (s) => stringLeaf(s) && lastKey(s) === 'typeURI');
    if (!site) return undefined;
    const known = [...new Set(allActions().map((a) => a.targetTypeURI)), ...Object.values(INITIATOR_TYPE_URIS)];
    const value = rnd.pick(rnd.next() < 0.5 ? known : BAD_TYPE_URIS);
    return replace('typeURI', event, site, value);
  },
  number(event, rnd) {
    const site = pickSite(event, rnd, (s) => nonRoot(s) && typeof s.value === 'number');
    return site && replace('number', event, site, rnd.pick(NUMBERS));
  },
  flip(event, rnd) {
    const site = pickSite(event, rnd, (s) => nonRoot(s) && typeof s.value === 'boolean');
    return site && replace('flip', event, site, !site.value);
  },
  control(event, rnd) {
    const site = pickSite(event, rnd, stringLeaf);
    if (!site) return undefined;
    const s = site.value as string;
    const c = rnd.pick(CONTROL);
    const at = rnd.int(s.length + 1);
    const value = rnd.next() < 0.25 ? c.repeat(1 + rnd.int(3)) : `${s.slice(0, at)}${c}${s.slice(at)}`;
    return replace('control', event, site, value);
  },
};

/**
 * `count` mutants of the given valid events, the same for the same seed: each a copy of one event
 * with one mutation (60 %), two (25 %) or three (15 %), of kinds chosen evenly.
 */
export function generateMutants(bases: readonly Json[], options: { count: number; seed: string | number; kinds?: readonly MutationKind[] }): Mutant[] {
  const rnd = seededRandom(options.seed);
  const kinds = options.kinds ?? MUTATION_KINDS;
  const mutants: Mutant[] = [];
  while (mutants.length < options.count) {
    const base = rnd.int(bases.length);
    const event = structuredClone(bases[base]!);
    const r = rnd.next();
    const wanted = r < 0.6 ? 1 : r < 0.85 ? 2 : 3;
    const mutations: Mutation[] = [];
    for (let tries = 0; mutations.length < wanted && tries < 20; tries++) {
      const m = MUTATORS[rnd.pick(kinds)](event, rnd);
      if (m) mutations.push(m);
    }
    if (mutations.length) mutants.push({ index: mutants.length, base, event, mutations });
  }
  return mutants;
}

// --- the published schema as the reference -------------------------------------------------------------

// ajv is CommonJS; under NodeNext its default export arrives as module.exports.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;

interface Verdict {
  ok: boolean;
  errors: ErrorObject[];
}
export type Reference = (event: unknown) => Verdict;

let publishedValidator: ValidateFunction | undefined;
const verdicts = new WeakMap<object, Verdict>();

/**
 * The published schema (eventSchema(), every action) compiled by an ajv instance of its own, not
 * the validator's; its verdicts on mutants are kept, as several validators are compared with it.
 */
export const publishedSchema: Reference = (event) => {
  const key = event !== null && typeof event === 'object' ? event : undefined;
  const kept = key && verdicts.get(key);
  if (kept) return kept;
  publishedValidator ??= new Ajv2020({ strict: true, allErrors: true }).compile(eventSchema());
  const ok = publishedValidator(event) as boolean;
  const verdict = { ok, errors: ok ? [] : [...(publishedValidator.errors ?? [])] };
  if (key) verdicts.set(key, verdict);
  return verdict;
};

export interface Leniency {
  mutant: Mutant;
  /** Why the reference rejected it. */
  errors: ErrorObject[];
  /** How many mutants the reference rejects and `validate` accepts, this one included. */
  count: number;
}

/**
 * The first mutant that the reference (the published schema) rejects and `validate` accepts, with
 * the number of such mutants; undefined when `validate` is never more lenient than the reference.
 */
export function findLeniency(validate: (event: unknown) => boolean, mutants: readonly Mutant[], reference: Reference = publishedSchema): Leniency | undefined {
  let first: Leniency | undefined;
  let count = 0;
  for (const mutant of mutants) {
    const verdict = reference(mutant.event);
    if (verdict.ok || !validate(mutant.event)) continue;
    count++;
    first ??= { mutant, errors: verdict.errors, count: 0 };
  }
  if (first) first.count = count;
  return first;
}

export interface KindCount {
  /** Mutants with a mutation of the kind. */
  mutants: number;
  /** Of them, those the reference rejects. */
  rejected: number;
  /** Mutants with this one mutation only. */
  alone: number;
  /** Of them, those the reference rejects. */
  aloneRejected: number;
}

/** How many mutants of each kind there are and how many of them the reference rejects. */
export function tally(mutants: readonly Mutant[], reference: Reference = publishedSchema): Record<MutationKind, KindCount> {
  const out = Object.fromEntries(MUTATION_KINDS.map((k) => [k, { mutants: 0, rejected: 0, alone: 0, aloneRejected: 0 }])) as Record<MutationKind, KindCount>;
  for (const m of mutants) {
    const rejected = !reference(m.event).ok;
    for (const kind of new Set(m.mutations.map((x) => x.kind))) {
      const c = out[kind];
      c.mutants++;
      if (rejected) c.rejected++;
      if (m.mutations.length === 1) {
        c.alone++;
        if (rejected) c.aloneRejected++;
      }
    }
  }
  return out;
}

/** Long strings shortened, so that a mutant prints in a few lines. */
const shorten = (_key: string, value: unknown) => (typeof value === 'string' && value.length > 200 ? `${value.slice(0, 80)}…(${value.length} chars)` : value);

/** A failure message: the mutations, the reference's errors, what the validator said, the mutant. */
export function formatLeniency(l: Leniency, validatorSaid?: unknown): string {
  const lines = [
    `${l.count} mutant(s) rejected by the published schema were accepted by the validator; the first, #${l.mutant.index} (made from valid event #${l.mutant.base}):`,
    'mutations:',
    ...l.mutant.mutations.map((m) => `  ${m.kind} at ${m.path || '(event)'}: ${m.note}`),
    'published schema errors:',
    ...l.errors.slice(0, 10).map((e) => `  ${e.instancePath || '(event)'} ${e.keyword} ${e.message ?? ''} ${JSON.stringify(e.params)} (${e.schemaPath})`),
    ...(validatorSaid === undefined ? [] : ['validator result:', `  ${JSON.stringify(validatorSaid)}`]),
    'mutant:',
    `  ${JSON.stringify(l.mutant.event, shorten)}`,
  ];
  return lines.join('\n');
}
