import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventChecksModule } from '../../scripts/event-codegen.js';
import { spacedJson } from '../../test/lint-fixture.js';
import { generateMutants, validEvents, type Json } from '../../test/mutants.js';
import { allActions, getAction, validateEvent, type ValidateOptions } from '../index.js';
import { EVENT_MODEL } from '../generated/event-model.js';
import { EVENT_CHECKS, EVENT_CLEAN_CHECKS, type EventMeasure, type RuleHelpers } from '../generated/event-checks.js';
import { checkedCommonShape } from './rule-patterns.js';
import { messageHead, ruleFacts, DEFAULT_DISPLAY_NAME, type RuleFacts } from './rule-facts.js';
import { actionVariant } from './schema.js';
import { GENERATED_RULES, measuredLength, validateParsed } from './validate.js';

/**
 * Differential test of the generated rule check (EVENT_CLEAN_CHECKS in src/generated/event-checks.ts,
 * compiled by scripts/event-codegen.ts from the facts of rule-facts.ts) against the hand-written
 * rules of validate.ts (ruleProblems), the reference: on valid events and on mutants made to break
 * each rule (lifecycle, event time, severity and outcome by status code, reason type, initiator
 * kind, message, text, CRNs, secrets) and seeded mutants, the check must never answer "nothing
 * wrong" where the rules find something, and validateEvent must find the same problems with it as
 * without it. A check compiled from sabotaged facts must be caught.
 */

type Check = (event: unknown, m: EventMeasure, c: (value: unknown, depth: number) => number, lifecycle: boolean, h: RuleHelpers, n: number) => boolean;
type Obj = { [key: string]: Json };

const measure: EventMeasure = { of: undefined, length: Number.NaN };
const schemaOk = (event: unknown): boolean => {
  const action = (event as { action?: unknown } | null)?.action;
  const check = typeof action === 'string' ? EVENT_CHECKS.get(action) : undefined;
  return check !== undefined && check(event, measure, () => 0);
};
/** What the hand-written rules say (the generated rule check off). */
const reference = (event: unknown, options?: ValidateOptions) => {
  GENERATED_RULES.ruleCheck = false;
  try {
    return validateEvent(event, options);
  } finally {
    GENERATED_RULES.ruleCheck = true;
  }
};

const day = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Mutants of one valid event aimed at each rule the check answers for. */
function ruleMutants(event: Obj): Obj[] {
  const out: Obj[] = [];
  const change = (edit: (e: Obj) => void) => {
    const copy = structuredClone(event);
    edit(copy);
    out.push(copy);
  };
  const action = getAction(String(event.action));
  const target = () => (e: Obj) => e.target as Obj;
  const time = String(event.eventTime);
  for (const t of [
    `${day(action.since, -1)}T23:59:59.99+0000`,
    `${action.since}T00:00:00.00+0000`,
    ...(action.removed ? [`${action.removed}T00:00:00.00+0000`, `${day(action.removed, -1)}T23:59:59.99+0000`] : []),
    '2023-02-29T10:00:00.00+0000',
    '2024-02-29T10:00:00.00+0000',
    '2024-04-31T10:00:00.00+0000',
    '2024-13-01T10:00:00.00+0000',
    '2024-01-01T24:00:00.00+0000',
    '2024-01-01T23:60:00.00+0000',
    '2024-01-01T23:59:60.00+0000',
    '2024-01-01T23:59:59.999+0000',
    '2024-01-01 23:59:59.99+0000',
    `${time.slice(0, 26)}1`,
    '२०२४-01-01T10:00:00.00+0000',
  ]) change((e) => (e.eventTime = t));
  for (const code of [100, 200, 204, 299, 304, 400, 401, 403, 404, 409, 424, 429, 500, 502, 503, 507, 599]) {
    for (const severity of EVENT_MODEL.values.severity) {
      for (const outcome of EVENT_MODEL.values.outcome) {
        change((e) => {
          (e.reason as Obj).reasonCode = code;
          e.severity = severity;
          e.outcome = outcome;
          e.message = `${messageHead(action, DEFAULT_DISPLAY_NAME)}${String((e.target as Obj).name)}${outcome === 'failure' ? ' -failure' : ''}`;
          if (outcome === 'failure') (e.reason as Obj).reasonType ??= 'Error';
        });
      }
    }
  }
  change((e) => delete (e.reason as Obj).reasonType);
  for (const kind of EVENT_MODEL.initiatorKinds) {
    for (const prefix of kind.idPrefixes) {
      for (const typeURI of EVENT_MODEL.values.initiatorTypeURI) {
        change((e) => {
          (e.initiator as Obj).id = `${prefix}1234`;
          (e.initiator as Obj).typeURI = typeURI;
        });
      }
      change((e) => ((e.initiator as Obj).id = prefix.slice(0, -1)));
    }
  }
  const head = messageHead(action, DEFAULT_DISPLAY_NAME);
  const name = String((event.target as Obj).name);
  for (const m of [
    `${head}${name}`,
    `${head}${name} -failure`,
    `${head}${name} -warning`,
    `${head}${name} and more`,
    `${head}${name}-failure`,
    `${head}${name.slice(0, -1)}`,
    `${head.toUpperCase()}${name}`,
    `${head}${name}\n`,
    `${head}${name} -failure\u202e`,
    `${head}\u0007${name}`,
    name,
  ]) change((e) => (e.message = m));
  for (const bad of ['\u0007', '\u202e', '\u2066', '\u009b', '\t']) {
    change((e) => {
      target()(e).name = `${name}${bad}`;
      e.message = `${head}${name}${bad}${e.outcome === 'failure' ? ' -failure' : ''}`;
    });
  }
  for (const key of ['target.id', 'logSourceCRN']) {
    const get = (e: Obj) => (key === 'target.id' ? (e.target as Obj).id : e.logSourceCRN) as string;
    const set = (e: Obj, v: string) => (key === 'target.id' ? ((e.target as Obj).id = v) : (e.logSourceCRN = v));
    const crn = get(event);
    const parts = crn.split(':');
    const variants = [
      [...parts.slice(0, 5), 'xx-nowhere', ...parts.slice(6)],
      [...parts.slice(0, 4), 'other-service', ...parts.slice(5)],
      [...parts.slice(0, 6), 'b/123', ...parts.slice(7)],
      [...parts.slice(0, 6), 'a/', ...parts.slice(7)],
      [...parts.slice(0, 2), '', ...parts.slice(3)],
      [...parts, 'x'],
      parts.slice(0, -1),
      [...parts.slice(0, 8), '', 'resource'],
      [...parts.slice(0, 8), 'image', ''],
      [...parts.slice(0, 5), 'us-south', ...parts.slice(6)],
    ];
    for (const v of variants) change((e) => set(e, v.join(':')));
    change((e) => set(e, get(e).replace('crn:v1:', 'crn:v2:')));
  }
  const secrets: Obj[] = [{ password: 'hunter2' }, { password: '[REDACTED]' }, { token: null }, { apiKey: '' }, { deep: [{ list: [{ Authorization: 'Bearer x' }] }] }, { nested: { cookie: 'c' } }];
  for (const data of secrets) {
    for (const key of ['requestData', 'responseData']) change((e) => (e[key] = { ...((e[key] as Obj | undefined) ?? {}), ...structuredClone(data) }));
  }
  return out;
}

let bases: Json[] = [];
let events: Obj[] = [];
beforeAll(async () => {
  bases = await validEvents();
  const perAction = new Map<string, Obj>();
  for (const e of bases as Obj[]) if (!perAction.has(String(e.action))) perAction.set(String(e.action), e);
  events = [
    ...(bases as Obj[]),
    ...[...perAction.values()].flatMap(ruleMutants),
    ...(bases as Obj[]).slice(0, 20).flatMap(ruleMutants),
    ...(generateMutants(bases, { count: 4_000, seed: 'rule-check-1' }).map((m) => m.event) as Obj[]),
  ];
}, 30_000);

/** The events a rule check says nothing is wrong with, where the hand-written rules find something. */
function lenientOn(rules: ReadonlyMap<string, Check>, options: ValidateOptions = {}, helpers: RuleHelpers = GENERATED_RULES.ruleHelpers): string[] {
  const lenient: string[] = [];
  for (const event of events) {
    const check = rules.get(String(event.action));
    if (check !== undefined && check(event, measure, () => 0, options.lifecycle !== false, helpers, -1) && !reference(event, options).ok) {
      lenient.push(`${JSON.stringify(event).slice(0, 300)}: ${JSON.stringify(reference(event, options).problems)}`);
    }
  }
  return lenient;
}

describe('the generated rule check agrees with the hand-written rules', () => {
  it('has a check for every action, and passes every valid event (so that lint takes the fast path)', () => {
    expect(EVENT_CLEAN_CHECKS.size).toBe(allActions().length);
    const actions = new Set((bases as Obj[]).map((e) => e.action));
    expect(actions.size).toBeGreaterThan(30);
    const refused = (bases as Obj[]).filter((e) => !EVENT_CLEAN_CHECKS.get(String(e.action))!(e, measure, () => 0, true, GENERATED_RULES.ruleHelpers, -1));
    expect(refused.map((e) => JSON.stringify(e).slice(0, 200))).toEqual([]);
  });

  it('never answers "nothing wrong" where the rules find something (rule mutants of every action, seeded mutants)', () => {
    let passedSchema = 0;
    let caughtByRules = 0;
    for (const event of events) {
      if (!schemaOk(event)) continue;
      passedSchema++;
      if (!reference(event).ok) caughtByRules++;
    }
    // So that the test can fail: many events reach the rule check, and many of those break a rule.
    expect(passedSchema).toBeGreaterThan(5_000);
    expect(caughtByRules).toBeGreaterThan(3_000);
    expect(lenientOn(EVENT_CLEAN_CHECKS).slice(0, 3)).toEqual([]);
    expect(lenientOn(EVENT_CLEAN_CHECKS, { lifecycle: false }).slice(0, 3)).toEqual([]);
  });

  it('validateEvent finds the same problems with it as without it, with every option', () => {
    const differ: string[] = [];
    for (const options of [undefined, { lifecycle: false }, { serviceDisplayName: 'Other Registry' }, { secretsRedacted: true }, { maxProblems: 1 }] as (ValidateOptions | undefined)[]) {
      for (const event of events) {
        const mine = JSON.stringify(validateEvent(event, options));
        const theirs = JSON.stringify(reference(event, options));
        if (mine !== theirs) differ.push(`${JSON.stringify(options)} ${JSON.stringify(event).slice(0, 200)}: ${mine} vs ${theirs}`);
      }
    }
    expect(differ.slice(0, 3)).toEqual([]);
  });
});

describe("with the text's length (lint), the length answers for the keys", () => {
  it('validateParsed finds what validateEvent finds, for compact text, text with white space, and an escaped key', () => {
    const differ: string[] = [];
    let unknownKeys = 0;
    let byLength = 0;
    for (const event of events) {
      const compact = JSON.stringify(event);
      for (const text of [compact, spacedJson(event), compact.replace('"action":', '"\\u0061ction":')]) {
        for (const options of [{}, { lifecycle: false }]) {
          const parsed: unknown = JSON.parse(text);
          const mine = validateParsed(parsed, options, text.length);
          if (text === compact && measuredLength(parsed) === text.length) byLength++;
          const theirs = validateEvent(JSON.parse(text), options);
          if (JSON.stringify(mine) !== JSON.stringify(theirs)) differ.push(`${text.slice(0, 200)}: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`);
          if (text === compact && theirs.problems.some((p) => p.message === 'is not a field of the event model')) unknownKeys++;
        }
      }
    }
    // So that the test can fail: many compact texts are as long as their measure (the keys are left
    // to the length), and many hold a key the model does not have (a member added at some depth).
    expect(byLength).toBeGreaterThan(5_000);
    expect(unknownKeys).toBeGreaterThan(200);
    expect(differ.slice(0, 3)).toEqual([]);
  });

  it('a member more in any object of a valid event is found, however short the rest is made', () => {
    const missed: string[] = [];
    let tried = 0;
    for (const event of (bases as Obj[]).slice(0, 60)) {
      const objects: Obj[] = [];
      const walk = (v: Json) => {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          objects.push(v);
          Object.values(v).forEach(walk);
        } else if (Array.isArray(v)) v.forEach(walk);
      };
      const copy = structuredClone(event);
      walk(copy);
      for (const o of objects) {
        o.z = 0;
        // The id made shorter by as much as the member adds: the text is as long as the valid event's.
        const id = String(copy.id);
        copy.id = id.slice(0, Math.max(1, id.length - 6));
        const text = JSON.stringify(copy);
        const result = validateParsed(JSON.parse(text), {}, text.length);
        tried++;
        if (result.ok && !validateEvent(JSON.parse(text)).ok) missed.push(text.slice(0, 200));
        delete o.z;
        copy.id = id;
      }
    }
    expect(tried).toBeGreaterThan(300);
    expect(missed.slice(0, 3)).toEqual([]);
  });
});

describe('a rule check compiled from sabotaged facts is caught', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-rule-check-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function rulesFrom(change: (facts: RuleFacts) => RuleFacts, name: string): Promise<ReadonlyMap<string, Check>> {
    const file = path.join(dir, `${name}.ts`);
    const facts = change(ruleFacts());
    fs.writeFileSync(file, eventChecksModule(checkedCommonShape(true), allActions().map((a) => [a.id, actionVariant(a)] as const), 'a test', facts));
    return ((await import(file)) as { EVENT_CLEAN_CHECKS: ReadonlyMap<string, Check> }).EVENT_CLEAN_CHECKS;
  }

  /** The validator's helpers with a memo of their own (a sabotaged check must not leave its verdicts to the real one). */
  const ownMemo = (): RuleHelpers => ({ ...GENERATED_RULES.ruleHelpers, memo: { crn: [] } });

  it('an unchanged one is not lenient', async () => {
    expect(lenientOn(await rulesFrom((f) => f, 'unchanged'), {}, ownMemo())).toEqual([]);
  });

  const sabotage: [string, (f: RuleFacts) => RuleFacts][] = [
    ['every action listed a year earlier', (f) => ({ ...f, actions: f.actions.map((a) => ({ ...a, since: day(a.since, -366) })) })],
    ['a removal date dropped', (f) => ({ ...f, actions: f.actions.map(({ removed: _, ...a }) => a) })],
    ['a CRN location more', (f) => ({ ...f, crnFields: f.crnFields.map((c) => ({ ...c, head: c.head.replace('(?:', '(?:xx\\-nowhere|') })) })],
    ['a colon allowed in the resource', (f) => ({ ...f, crnFields: f.crnFields.map((c) => ({ ...c, head: c.head.replace(/:\(\?:\[\^:\]\+:\|:\$\)$/, ':(?:.+:|:$)') })) })],
    ['401 dropped from the severity table', (f) => ({ ...f, statusSeverity: Object.fromEntries(Object.entries(f.statusSeverity).filter(([code]) => code !== '401')) })],
    ['a caller kind dropped', (f) => ({ ...f, initiatorKinds: f.initiatorKinds.slice(1) })],
    ['no forbidden text', (f) => ({ ...f, textForbidden: '' })],
    ['another failure suffix', (f) => ({ ...f, failureSuffix: '-failure' })],
    ['the event time pattern loosened', (f) => ({ ...f, eventTimePattern: f.eventTimePattern.replace('\\.\\d{2}', '\\.\\d{2,3}') })],
  ];
  it('a calendar that takes every date, a search for secrets that finds none, or a memo that remembers a bad CRN', () => {
    const helpers = GENERATED_RULES.ruleHelpers;
    expect(lenientOn(EVENT_CLEAN_CHECKS, {}, { ...helpers, time: () => true }).length).toBeGreaterThan(0);
    expect(lenientOn(EVENT_CLEAN_CHECKS, {}, { ...helpers, secretsFree: () => true }).length).toBeGreaterThan(0);
    // A memo that remembers a CRN that does not match as one that did.
    const bad = events.find((e) => schemaOk(e) && !reference(e).ok && reference(e).problems.every((p) => p.path === '/logSourceCRN'))!;
    const check = EVENT_CLEAN_CHECKS.get(String(bad.action))!;
    const crn: (string | undefined)[] = [];
    const fields = ruleFacts().crnFields;
    const at = fields.findIndex((f) => f.path === 'logSourceCRN');
    // The field's slots come after those of the fields before it; the CRN is remembered in its last.
    crn[fields.slice(0, at + 1).reduce((n, f) => n + f.remembered, 0) - 1] = String(bad.logSourceCRN);
    expect(check(bad, measure, () => 0, true, { ...helpers, memo: { crn: [] } }, -1)).toBe(false);
    expect(check(bad, measure, () => 0, true, { ...helpers, memo: { crn } }, -1)).toBe(true);
  });

  for (const [what, change] of sabotage) {
    it(what, async () => {
      const lenient = lenientOn(await rulesFrom(change, what.replace(/\W+/g, '-')), {}, ownMemo());
      expect(lenient.length, what).toBeGreaterThan(0);
    });
  }
});
