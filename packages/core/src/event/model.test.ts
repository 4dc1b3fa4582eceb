import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { eventModelModule } from '../../scripts/event-codegen.js';
import { contentDir, packageDir } from '../../test/paths.js';
import { flattenResources } from '../content/locales.js';
import { closedObjectsOf, unknownFields } from '../validate/fields.js';
import { commonShapeOf, type JsonSchema } from '../validate/schema.js';
import {
  commonEventSchema,
  createEmitter,
  EVENT_FIELDS,
  EVENT_MODEL,
  lintStream,
  loadContent,
  memorySink,
  serializeEvent,
  validateEvent,
  type ActivityEvent,
  type LintProblem,
} from '../index.js';
import type { Problem } from '../validate/validate.js';

/**
 * The event model (content/catalog/event.yaml) is the one place the event's shape is written:
 * every rule the published schema states is enforced by validateEvent, one row per field; a new
 * field in the YAML reaches the type, the schema, the serializer and the validator; and the
 * emitter's display name is the validator's.
 */

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function anEvent(): ActivityEvent {
  const emitter = createEmitter({ accountId: 'acct1', region: 'us-south', sink: memorySink(), clock: () => Date.UTC(2025, 4, 2, 9), newId: () => 'id-1' });
  const event = emitter.build('image.push', {
    initiator: { id: 'IBMid-1', name: 'dev@example.com', ip: '198.51.100.7', agent: 'containerd/1.7.13', authnId: 'IBMid-1', authnName: 'dev' },
    target: { type: 'image', reference: 'us.icr.io/ns/app:1', resourceGroupId: 'rg-1' },
    correlationId: 'c-1',
  });
  // Every optional field present, so that each rule has a value to break.
  event.target.host = { address: 'us.icr.io' };
  event.target.alias = 'app';
  event.reason.reasonForFailure = 'none';
  return event;
}

const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
function set(o: unknown, p: string, value: unknown): void {
  const keys = p.split('.');
  const parent = get(o, keys.slice(0, -1).join('.')) ?? o;
  const last = keys.at(-1)!;
  if (value === undefined) delete (parent as Record<string, unknown>)[last];
  else (parent as Record<string, unknown>)[last] = value;
}
const pointer = (p: string) => `/${p.split('.').join('/')}`;

function rejects(mutate: (e: ActivityEvent) => void, at: string): void {
  const event = anEvent();
  expect(validateEvent(event).problems).toEqual([]);
  mutate(event);
  const { ok, problems } = validateEvent(event);
  expect(ok, `accepted after the mutation at ${at}`).toBe(false);
  expect(problems.map((p) => p.path)).toContain(at);
}

describe('every rule of the event model is enforced', () => {
  // The published schema says all of these; the validator drops some from what ajv compiles and
  // checks them by rules generated from the same model.
  it.each(EVENT_FIELDS.filter((f) => f.nonEmpty).map((f) => [f.path]))('%s must not be empty', (p) => {
    rejects((e) => set(e, p, ''), pointer(p));
  });

  it.each(EVENT_FIELDS.filter((f) => f.required).map((f) => [f.path]))('%s is required', (p) => {
    rejects((e) => set(e, p, undefined), pointer(p));
  });

  const closed = ['', ...EVENT_FIELDS.filter((f) => f.type === 'object' && !f.open).map((f) => f.path)];
  it.each(closed.map((p) => [p || '(the event)', p]))('%s has no other fields', (_name, p) => {
    rejects((e) => set(e, p ? `${p}.extra` : 'extra', 'x'), p ? `${pointer(p)}/extra` : '/extra');
  });

  // A value each pattern rejects: for text, a line break and a bidirectional override; for the
  // others, an upper-case, colon-less, slash-less word.
  const BREAKS: Record<string, string[]> = { text: ['line one\nforged line', 'name\u202Egpj.exe', 'red \u001b[31m'] };
  it.each(EVENT_FIELDS.filter((f) => f.pattern !== undefined).map((f) => [f.path, f.pattern!]))('%s matches the %s pattern', (p, pattern) => {
    for (const value of BREAKS[pattern] ?? ['NOT VALID']) {
      expect(new RegExp(EVENT_MODEL.patterns[pattern as keyof typeof EVENT_MODEL.patterns], 'u').test(value), value).toBe(false);
      rejects((e) => set(e, p, value), pointer(p));
    }
  });

  it.each(EVENT_FIELDS.filter((f) => f.values !== undefined || f.const !== undefined).map((f) => [f.path]))('%s takes only its values', (p) => {
    rejects((e) => set(e, p, 'no-such-value'), pointer(p));
  });

  it.each(EVENT_FIELDS.filter((f) => f.type !== 'object' || f.open).map((f) => [f.path, f.type]))('%s must be of type %s', (p, type) => {
    rejects((e) => set(e, p, type === 'string' ? 7 : 'seven'), pointer(p));
  });

  it('checks the bounds of integers', () => {
    for (const f of EVENT_FIELDS.filter((x) => x.minimum !== undefined || x.maximum !== undefined)) {
      if (f.minimum !== undefined) rejects((e) => set(e, f.path, f.minimum! - 1), pointer(f.path));
      if (f.maximum !== undefined) rejects((e) => set(e, f.path, f.maximum! + 1), pointer(f.path));
    }
  });

  it('writes every field of the model, in its order, as JSON.stringify does', () => {
    const event = anEvent();
    const line = serializeEvent(event);
    expect(line).toBe(JSON.stringify(event));
    const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => {
        const p = prefix ? `${prefix}.${k}` : k;
        const field = EVENT_FIELDS.find((f) => f.path === p);
        return field?.type === 'object' && !field.open ? [p, ...keys(v as Record<string, unknown>, p)] : [p];
      });
    const written = keys(JSON.parse(line));
    expect(written).toEqual(EVENT_FIELDS.filter((f) => written.includes(f.path)).map((f) => f.path));
    // Every field but requestData and responseData (image.push lists none) is in the sample.
    expect(EVENT_FIELDS.filter((f) => !written.includes(f.path)).map((f) => f.path)).toEqual(['requestData', 'responseData']);
  });
});

describe('adding a field to event.yaml', () => {
  // One YAML entry and two locale strings, in a copy of the content.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-model-'));
  scratch.push(dir);
  const content = path.join(dir, 'content');
  fs.cpSync(contentDir, content, { recursive: true });
  const yamlFile = path.join(content, 'catalog/event.yaml');
  fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8').replace('  - path: initiator.authnName\n    type: string\n', '  - path: initiator.authnName\n    type: string\n  - path: initiator.origin\n    type: string\n    nonEmpty: true\n'));
  for (const [lng, text] of [['en', 'Where the caller said the request came from.'], ['zh-CN', '调用者声明的请求来源。']] as const) {
    const file = path.join(content, `locales/${lng}/event.json`);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.initiator.origin = text;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  const loaded = loadContent(content);
  const model = loaded.event;
  const rules = flattenResources(loaded.locales.en!.event);
  const moduleFile = path.join(dir, 'event-model.ts');
  fs.writeFileSync(moduleFile, eventModelModule(model, (p) => rules.get(p), 'a test copy of event.yaml'));

  it('the loader knows it, after authnName', () => {
    const paths = model.fields.map((f) => f.path);
    expect(paths.indexOf('initiator.origin')).toBe(paths.indexOf('initiator.authnName') + 1);
    expect(EVENT_FIELDS.map((f) => f.path)).not.toContain('initiator.origin');
  });

  it('the type knows it', () => {
    // A consumer that sets the new field type-checks against the generated module, and not against the built-in one.
    const check = (typesFile: string) => {
      const consumer = path.join(dir, `consumer-${path.basename(typesFile, '.ts')}.ts`);
      fs.writeFileSync(consumer, `import type { ActivityEvent } from ${JSON.stringify(typesFile.replace(/\.ts$/, '.js'))};\nexport const origin = (e: ActivityEvent): string | undefined => e.initiator.origin;\n`);
      const program = ts.createProgram([consumer], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(check(moduleFile)).toEqual([]);
    const builtIn = path.join(dir, 'builtin.ts');
    fs.copyFileSync(path.join(packageDir, 'src/generated/event-model.ts'), builtIn);
    expect(check(builtIn).join('\n')).toMatch(/Property 'origin' does not exist/);
  });

  it('the schema knows it', () => {
    const shape = commonShapeOf(model.fields, model.values, model.patterns);
    const initiator = (shape.properties as Record<string, JsonSchema>).initiator!;
    expect((initiator.properties as Record<string, JsonSchema>).origin).toEqual({ type: 'string', minLength: 1 });
    expect(JSON.stringify(commonEventSchema())).not.toContain('"origin"');
  });

  it('the serializer knows it', async () => {
    const generated = (await import(pathToFileURL(moduleFile).href)) as { writeEvent: (e: unknown) => string };
    const event = anEvent() as ActivityEvent & { initiator: { origin?: string } };
    event.initiator = { ...event.initiator, origin: 'ci' };
    // In the model's order: after authnName (the last of the initiator's fields in the sample), before the target.
    expect(generated.writeEvent(event)).toBe(JSON.stringify(event));
    expect(generated.writeEvent(event)).toContain('"authnName":"dev","origin":"ci"},"target":');
    expect(serializeEvent(event)).not.toContain('origin');
  });

  it('the validator knows it', () => {
    const event = { ...anEvent() } as unknown as Record<string, unknown>;
    event.initiator = { ...(event.initiator as object), origin: 'ci' };
    const withModel: Problem[] = [];
    unknownFields(event, withModel, undefined, closedObjectsOf(model.fields));
    expect(withModel).toEqual([]);
    const builtIn: Problem[] = [];
    unknownFields(event, builtIn, undefined);
    expect(builtIn).toEqual([{ path: '/initiator/origin', message: 'is not a field of the event model' }]);
  });

  it('a field without its rule in every language is an error naming the file', () => {
    const zh = path.join(content, 'locales/zh-CN/event.json');
    const json = JSON.parse(fs.readFileSync(zh, 'utf8'));
    delete json.initiator.origin;
    fs.writeFileSync(zh, JSON.stringify(json, null, 2));
    expect(() => loadContent(content)).toThrow(/zh-CN\/event\.json: initiator\.origin: missing rule of event field initiator\.origin/);
  });
});

describe('a service display name of its own', () => {
  it('is emitted, validated and linted alike', async () => {
    const sink = memorySink();
    const emitter = createEmitter({ accountId: 'acct1', region: 'us-south', sink, serviceDisplayName: 'Acme Registry' });
    const event = await emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1' } });
    expect(event.message).toBe('Acme Registry: pull image us.icr.io/ns/app:1');
    expect(validateEvent(event, { serviceDisplayName: 'Acme Registry' })).toEqual({ ok: true, problems: [] });
    // Without the option, the catalog's display name is expected.
    expect(validateEvent(event).problems.map((p) => p.path)).toEqual(['/message']);

    const lint = async (options: { serviceDisplayName?: string }) => {
      const problems: LintProblem[] = [];
      const input = (async function* () {
        yield sink.lines().join('\n');
      })();
      const summary = await lintStream(input, (p) => problems.push(p), options);
      return { summary, problems };
    };
    const mine = await lint({ serviceDisplayName: 'Acme Registry' });
    expect(mine.problems).toEqual([]);
    expect(mine.summary).toMatchObject({ events: 1, valid: 1 });
    const theirs = await lint({});
    expect(theirs.summary).toMatchObject({ events: 1, invalid: 1 });
  });

  it('must be a non-empty string', () => {
    expect(() => createEmitter({ accountId: 'a', region: 'us-south', sink: memorySink(), serviceDisplayName: '' })).toThrow(/serviceDisplayName/);
  });
});

describe('the model as data', () => {
  it('matches the YAML it was generated from', () => {
    expect(loadContent(contentDir).event).toEqual(JSON.parse(JSON.stringify(EVENT_MODEL)));
  });
});

describe('text a person reads', () => {
  it('an exemption name with a line break or a bidi override cannot make an event', () => {
    const emitter = createEmitter({ accountId: 'acct1', region: 'us-south', sink: memorySink() });
    for (const name of ['CVE-1\nforged: admin logged in', 'CVE-\u202Egpj.exe']) {
      expect(() => emitter.build('exemption.create', { initiator: { id: 'IBMid-1' }, target: { type: 'exemption', id: 'x1', name } })).toThrow(/\/target\/name: must not hold control characters/);
    }
  });

  it('lint flags them, and never prints them', async () => {
    const good = anEvent();
    const bad = { ...good, target: { ...good.target, name: 'app\u202E1:gat' }, message: `${good.message}\u001b[2K` };
    const problems: LintProblem[] = [];
    const input = (async function* () {
      yield `${JSON.stringify(bad)}\n`;
    })();
    await lintStream(input, (p) => problems.push(p));
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/target/name', '/message']));
    for (const p of problems) expect(p.message).not.toMatch(/[\u001b\u202E]/);
  });
});

describe('problems never show characters that act on a terminal', () => {
  it('an unknown action with a bidi override is quoted with the override escaped', () => {
    const problems = validateEvent({ ...anEvent(), action: 'container-registry.image.p\u202Eush' }).problems;
    expect(problems.find((p) => p.path === '/action')?.message).toContain('\\u202e');
    for (const p of problems) expect(p.message).not.toMatch(/[\u001b\u202E]/);
  });
});
