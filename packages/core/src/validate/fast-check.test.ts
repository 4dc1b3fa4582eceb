import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventChecksModule } from '../../scripts/event-codegen.js';
import { generateMutants, validEvents, type Json } from '../../test/mutants.js';
import { allActions, validateEvent } from '../index.js';
import { EVENT_CHECKS, type EventMeasure } from '../generated/event-checks.js';
import { compactLength } from './duplicate-keys.js';
import { checkedCommonShape } from './rule-patterns.js';
import { actionVariant, type JsonSchema } from './schema.js';
import { GENERATED_RULES } from './validate.js';

/**
 * Differential test of the generated fast check (src/generated/event-checks.ts, compiled by
 * scripts/event-codegen.ts) against ajv, the reference: for each action, ajv compiles the same
 * schema the check was compiled from (the common event less the patterns that rules check, with
 * each action's variant). The fast check must give ajv's answer on a valid event of every action
 * and on every mutant of it (each field removed, given every other JSON type, changed by one
 * character or by one; an unknown field added to each object), and on thousands of seeded mutants
 * (test/mutants.ts). Above all it must never say "valid" where ajv says "invalid". validateEvent
 * must then find the same problems with the fast check as without it.
 */

// ajv is CommonJS; under NodeNext its default export arrives as module.exports.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
const ajv = new Ajv2020({ strict: true, allErrors: false });
ajv.addSchema({ $id: 'urn:test:common', ...checkedCommonShape(true) });
const references = new Map<string, ValidateFunction>(allActions().map((a) => [a.id, ajv.compile({ allOf: [{ $ref: 'urn:test:common' }, actionVariant(a)] })]));
const reference = (event: unknown): boolean => {
  const action = (event as { action?: unknown } | null)?.action;
  const validate = typeof action === 'string' ? references.get(action) : undefined;
  return validate !== undefined && validate(event);
};
/** Where the checks leave the compact length of what passed the common check. */
const measure: EventMeasure = { of: undefined, length: Number.NaN };
const compactOrNaN = (value: unknown, depth: number) => {
  const n = compactLength(value, depth);
  return n < 0 ? Number.NaN : n;
};
const fast = (event: unknown): boolean => {
  const action = (event as { action?: unknown } | null)?.action;
  const check = typeof action === 'string' ? EVENT_CHECKS.get(action) : undefined;
  return check !== undefined && check(event, measure, compactOrNaN);
};

/** A value that satisfies a schema node: its const, its first enum value, or one of its type (an object with every property). */
function synthesize(node: JsonSchema): Json {
  if ('const' in node) return node.const as Json;
  if (Array.isArray(node.enum)) return node.enum[0] as Json;
  switch (node.type) {
    case 'string':
      return 'value';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    default:
      return Object.fromEntries(Object.entries((node.properties ?? {}) as Record<string, JsonSchema>).map(([k, child]) => [k, synthesize(child)]));
  }
}

/** A valid event of every action: one of the valid events, made over into the action's (its variant's constants and data). */
function oneOfEachAction(base: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const action of allActions()) {
    const variant = actionVariant(action);
    const props = variant.properties as Record<string, JsonSchema>;
    const event = structuredClone(base) as { [key: string]: Json };
    delete event.requestData;
    delete event.responseData;
    event.action = action.id;
    if (props.dataEvent) event.dataEvent = props.dataEvent.const as Json;
    (event.target as { [key: string]: Json }).typeURI = (props.target!.properties as Record<string, JsonSchema>).typeURI!.const as Json;
    if (props.requestData) event.requestData = synthesize(props.requestData);
    if (props.responseData) event.responseData = synthesize(props.responseData);
    out.set(action.id, event);
  }
  return out;
}

/** Every mutant of an event with one change: each field (at any depth) removed, retyped, changed by one character or by one, and an unknown field added to each object. */
function everyMutant(event: Json): { note: string; event: Json }[] {
  const out: { note: string; event: Json }[] = [];
  const visit = (value: Json, at: (string | number)[]) => {
    const change = (note: string, replace: (parent: any, key: string | number) => void) => {
      const copy = structuredClone(event);
      let parent: any = copy;
      for (const k of at.slice(0, -1)) parent = parent[k];
      replace(parent, at[at.length - 1]!);
      out.push({ note: `${note} at /${at.join('/')}`, event: copy });
    };
    if (at.length > 0) {
      change('removed', (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]));
      for (const other of [null, true, false, 0, 1.5, -1, 'x', '', [], {}, ['x'], { a: 1 }] as Json[]) change(`replaced by ${JSON.stringify(other)}`, (p, k) => (p[k] = structuredClone(other)));
      if (typeof value === 'string' && value.length > 0) {
        const last = value.charCodeAt(value.length - 1);
        change('one character more', (p, k) => (p[k] = `${value}x`));
        change('one character less', (p, k) => (p[k] = value.slice(0, -1)));
        change('last character off by one', (p, k) => (p[k] = value.slice(0, -1) + String.fromCharCode(last + 1)));
        change('first letter in the other case', (p, k) => (p[k] = (value[0] === value[0]!.toUpperCase() ? value[0]!.toLowerCase() : value[0]!.toUpperCase()) + value.slice(1)));
        change('a number string', (p, k) => (p[k] = Number(value.length)));
      }
      if (typeof value === 'number') for (const d of [-1, 1, 0.5, 1000]) change(`${d} added`, (p, k) => (p[k] = value + d));
      if (typeof value === 'number') change('a numeric string', (p, k) => (p[k] = String(value)));
      if (typeof value === 'boolean') change('flipped', (p, k) => (p[k] = !value));
    }
    if (value !== null && typeof value === 'object') {
      if (!Array.isArray(value)) {
        change('an unknown field added', (p, k) => ((at.length ? p[k] : p).extraField = 'x'));
        // A field the model has elsewhere, in the wrong object.
        change('a field of another object added', (p, k) => ((at.length ? p[k] : p).typeURI = 'service/security/account/user'));
      }
      for (const [k, v] of Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)) visit(v as Json, [...at, k]);
    }
  };
  visit(event, []);
  return out;
}

let bases: Json[] = [];
let perAction = new Map<string, Json>();
beforeAll(async () => {
  bases = await validEvents();
  // One with every optional field of the model (target.host, initiator.authnId…), so that mutations reach them.
  const full = bases.find((e) => JSON.stringify(e).includes('"host":{"address"') && JSON.stringify(e).includes('"authnId"'));
  perAction = oneOfEachAction(full!);
}, 30_000);

describe('the generated fast check agrees with ajv', () => {
  it('on a valid event of every action', () => {
    expect(perAction.size).toBe(allActions().length);
    expect(EVENT_CHECKS.size).toBe(allActions().length);
    for (const [id, event] of perAction) {
      expect(reference(event), id).toBe(true);
      expect(fast(event), id).toBe(true);
    }
  });

  it('on the valid events of the differential test (simulated, samples, every optional field)', () => {
    const disagree = bases.filter((e) => fast(e) !== reference(e));
    expect(bases.filter((e) => !reference(e))).toEqual([]);
    expect(disagree).toEqual([]);
  });

  it('on every one-change mutant of a valid event of every action', () => {
    let count = 0;
    let rejected = 0;
    const lenient: string[] = [];
    const strict: string[] = [];
    for (const [id, event] of perAction) {
      for (const m of everyMutant(event)) {
        count++;
        const ref = reference(m.event);
        if (!ref) rejected++;
        const mine = fast(m.event);
        if (mine && !ref) lenient.push(`${id}: ${m.note}`);
        else if (!mine && ref) strict.push(`${id}: ${m.note}`);
      }
    }
    expect(count).toBeGreaterThan(15_000);
    // So that the test can fail: most single changes break the schema.
    expect(rejected / count).toBeGreaterThan(0.6);
    expect(lenient, 'the fast check accepts what ajv rejects').toEqual([]);
    expect(strict, 'the fast check rejects what ajv accepts (the slow path would then run: not wrong, but not whole)').toEqual([]);
  });

  it('on 8,000 seeded mutants of the valid events', () => {
    const mutants = generateMutants(bases, { count: 8_000, seed: 'fast-check-1' });
    const disagree = mutants.filter((m) => fast(m.event) !== reference(m.event)).map((m) => m.mutations.map((x) => `${x.kind} ${x.path}: ${x.note}`).join('; '));
    expect(disagree).toEqual([]);
  });

  it('on what is not an event, or not one of a catalog action', () => {
    for (const value of [null, 1, 'x', [], {}, { action: 'container-registry.nope.nope' }]) expect(fast(value)).toBe(false);
  });
});

describe('the compact length the fast check measures', () => {
  it('is compactLength of the event, for every event that passes the common check (valid ones, every one-change mutant, seeded mutants)', () => {
    const events = [
      ...bases,
      ...[...perAction.values()].flatMap((e) => [e, ...everyMutant(e).map((m) => m.event)]),
      ...generateMutants(bases, { count: 4_000, seed: 'measure-1' }).map((m) => m.event),
    ];
    let measured = 0;
    let unknown = 0;
    const wrong: string[] = [];
    for (const event of events) {
      measure.of = undefined;
      fast(event);
      if (measure.of !== event) continue;
      measured++;
      const expected = compactLength(event, 0);
      if (expected < 0) unknown++;
      if (!Object.is(measure.length, expected < 0 ? Number.NaN : expected)) wrong.push(`${JSON.stringify(event).slice(0, 160)}: measured ${measure.length}, compactLength ${expected}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // So that the test can fail: most events are measured, and some hold a number compactLength cannot count.
    expect(measured).toBeGreaterThan(5_000);
    expect(unknown).toBeGreaterThan(10);
  });
});

describe('validateEvent finds the same problems with the fast check as without it', () => {
  it('on valid events and on every one-change mutant of one event of every action', () => {
    const events = [...bases, ...[...perAction.values()].flatMap((e) => [e, ...everyMutant(e).map((m) => m.event)])];
    const differ: string[] = [];
    for (const event of events) {
      const withFast = validateEvent(event);
      GENERATED_RULES.fastCheck = false;
      try {
        const without = validateEvent(event);
        if (JSON.stringify(withFast) !== JSON.stringify(without)) differ.push(`${JSON.stringify(event).slice(0, 200)}: ${JSON.stringify(withFast)} vs ${JSON.stringify(without)}`);
      } finally {
        GENERATED_RULES.fastCheck = true;
      }
    }
    expect(events.length).toBeGreaterThan(20_000);
    expect(differ.slice(0, 5)).toEqual([]);
  });
});

describe('the fast-check compiler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-fast-check-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Compiles the checks from a changed common schema and loads them. */
  async function checksFrom(change: (common: JsonSchema) => void, name: string): Promise<ReadonlyMap<string, (event: unknown, m: EventMeasure, c: typeof compactOrNaN) => boolean>> {
    const common = checkedCommonShape(true);
    change(common);
    const file = path.join(dir, `${name}.ts`);
    fs.writeFileSync(file, eventChecksModule(common, allActions().map((a) => [a.id, actionVariant(a)] as const), 'a test'));
    return ((await import(file)) as { EVENT_CHECKS: ReadonlyMap<string, (event: unknown, m: EventMeasure, c: typeof compactOrNaN) => boolean> }).EVENT_CHECKS;
  }

  it('refuses a keyword it cannot compile, rather than skip it', () => {
    const common = checkedCommonShape(true);
    (common.properties as Record<string, JsonSchema>).outcome = { oneOf: [{ const: 'success' }] };
    expect(() => eventChecksModule(common, [], 'a test')).toThrow(/cannot compile the keyword oneOf \(at \/outcome\)/);
    expect(() => eventChecksModule({ type: 'object', additionalProperties: true }, [], 'a test')).toThrow(/additionalProperties: false/);
    expect(() => eventChecksModule({ type: 'string', minLength: 2 }, [], 'a test')).toThrow(/minLength 0 or 1/);
  });

  it('a check compiled without one closed object, or one value set, is caught by the one-change mutants', async () => {
    const lenientOn = (checks: ReadonlyMap<string, (event: unknown, m: EventMeasure, c: typeof compactOrNaN) => boolean>) =>
      [...perAction].flatMap(([id, event]) => everyMutant(event).filter((m) => checks.get(id)!(m.event, measure, compactOrNaN) && !reference(m.event)).map((m) => m.note));
    const open = await checksFrom((c) => {
      const target = (c.properties as Record<string, JsonSchema>).target!;
      delete (target.properties as Record<string, JsonSchema>).host!.additionalProperties;
    }, 'open-host');
    expect(lenientOn(open)).toContain('an unknown field added at /target/host');
    const anyOutcome = await checksFrom((c) => {
      (c.properties as Record<string, JsonSchema>).outcome = { type: 'string' };
    }, 'any-outcome');
    expect(lenientOn(anyOutcome).some((note) => note.endsWith('at /outcome'))).toBe(true);
    // And the unchanged schema compiles to a check with nothing lenient.
    expect(lenientOn(await checksFrom(() => {}, 'unchanged'))).toEqual([]);
  });
});
