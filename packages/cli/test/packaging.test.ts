import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDir, repoRoot } from './paths.js';
import { installOffline, packWorkspaces, scratchProject } from './scratch.js';

/**
 * Both packages as a consumer gets them: packed with `npm pack`, installed from the tarballs into
 * a scratch project (offline, from the npm cache), then imported, required, type-checked,
 * bundled for a browser and run.
 */
const exec = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-packaging-'));
const app = path.join(tmp, 'app');
const installed = (name: string) => path.join(app, 'node_modules', name);
const coreDir = path.join(repoRoot, 'packages/core');
const cliDir = packageDir;
const natsDir = path.join(repoRoot, 'packages/nats');
let tarballFiles: Record<'@regtrail/core' | '@regtrail/nats' | 'regtrail', string[]>;

const node = (file: string) => exec(process.execPath, [file], { cwd: app });
const write = (name: string, text: string) => fs.writeFileSync(path.join(app, name), text);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const packed = await packWorkspaces(tmp);
  tarballFiles = { '@regtrail/core': packed['@regtrail/core'].files, '@regtrail/nats': packed['@regtrail/nats'].files, regtrail: packed.regtrail.files };
  scratchProject(app, { '@regtrail/core': packed['@regtrail/core'].tarball, '@regtrail/nats': packed['@regtrail/nats'].tarball, regtrail: packed.regtrail.tarball });
  await installOffline(app);
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each([
  ['@regtrail/core', coreDir],
  ['@regtrail/nats', natsDir],
  ['regtrail', cliDir],
] as const)('the %s tarball', (name, dir) => {
  it('holds its README, LICENSE and built files, and no tests', () => {
    const files = tarballFiles[name];
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(files.filter((f) => /\.test\.ts$|^test\//.test(f))).toEqual([]);
    expect(fs.readFileSync(path.join(installed(name), 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });

  it('says where it comes from, and every `files` entry exists', () => {
    const pkg = readJson(path.join(dir, 'package.json')) as { files: string[]; repository: { url: string; directory: string }; homepage: string; license: string };
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.repository.directory).toBe(path.relative(repoRoot, dir));
    expect(pkg.repository.url).toMatch(/^git\+https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    for (const entry of pkg.files.filter((f) => !f.startsWith('!'))) expect(fs.existsSync(path.join(dir, entry)), entry).toBe(true);
  });

  it('has source maps that point at sources it ships', () => {
    const root = installed(name);
    const maps = tarballFiles[name].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources, sourceRoot = '' } = readJson(path.join(root, map)) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const file = path.resolve(path.dirname(path.join(root, map)), sourceRoot, source);
        expect(file.startsWith(root + path.sep), `${map} → ${source}`).toBe(true);
        expect(fs.existsSync(file), `${map} → ${source}`).toBe(true);
      }
    }
  });
});

describe('@regtrail/core from its tarball', () => {
  it('maps every entry point to files that exist, with types, import and default', () => {
    const pkg = readJson(path.join(installed('@regtrail/core'), 'package.json')) as { exports: Record<string, Record<string, string> | string>; sideEffects: boolean; dependencies: Record<string, string> };
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports)).toEqual(['.', './catalog', './validate', './emit', './proxy', './internal', './package.json']);
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target), entry).toEqual(['types', 'import', 'default']);
      for (const file of Object.values(target)) expect(fs.existsSync(path.join(installed('@regtrail/core'), file)), `${entry}: ${file}`).toBe(true);
    }
    // The command line is another package now.
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['commander']));
    expect(Object.keys(pkg.dependencies)).not.toContain('string-width');
  });

  const consumer = (load: (id: string) => string) => `
    const core = ${load('@regtrail/core')};
    const catalog = ${load('@regtrail/core/catalog')};
    const validate = ${load('@regtrail/core/validate')};
    const emit = ${load('@regtrail/core/emit')};
    const internal = ${load('@regtrail/core/internal')};
    const emitter = emit.createEmitter({ accountId: 'a1b2c3', region: 'us-south', sink: emit.memorySink(), clock: () => Date.UTC(2025, 2, 1) });
    const event = emitter.build('image.push', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1.0' } });
    console.log(JSON.stringify({
      seed: catalog.listActions({ asOf: '2019-06-21' }).length,
      where: catalog.whereIs('jp2.icr.io/team/app:1.4', { asOf: '2021-03-01' }).eventLocation,
      zh: catalog.describeAction('image.push', 'zh-CN'),
      valid: validate.validateEvent(event).ok,
      same: core.whereIs === catalog.whereIs && core.validateEvent === validate.validateEvent && core.createEmitter === emit.createEmitter,
      error: core.RegtrailError === emit.RegtrailError,
      internalsHidden: !('content' in core) && !('LEGACY_FIELDS' in core) && !('sampleId' in core),
      internal: internal.content.service.id,
    }));
  `;
  const expected = { seed: 23, where: 'jp-tok', valid: true, same: true, error: true, internalsHidden: true, internal: 'container-registry' };

  it('imports (ESM), every entry point', async () => {
    write('consumer.mjs', consumer((id) => `await import('${id}')`));
    const { stdout } = await node('consumer.mjs');
    expect(JSON.parse(stdout)).toMatchObject({ ...expected, zh: expect.stringContaining('IBM Cloud Container Registry') });
  });

  it('requires (CommonJS), every entry point', async () => {
    write('consumer.cjs', consumer((id) => `require('${id}')`));
    const { stdout, stderr } = await node('consumer.cjs');
    expect(JSON.parse(stdout)).toMatchObject(expected);
    expect(stderr).not.toMatch(/Error/);
  });

  it('type-checks a consumer with tsc --strict (Node.js, ESM and CommonJS; and a browser one)', async () => {
    write(
      'typed.ts',
      `import { listActions, type ActionId, type ActivityEvent } from '@regtrail/core';
import { whereIs, type WhereAnswer } from '@regtrail/core/catalog';
import { validateEvent, type ValidationResult } from '@regtrail/core/validate';
import { createEmitter, memorySink, type EmitInput } from '@regtrail/core/emit';
import * as core from '@regtrail/core';

const id: ActionId = listActions()[0]!.id;
const answer: WhereAnswer = whereIs('us.icr.io/ns/app:1.0');
const input: EmitInput<'image.push'> = { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: answer.input } };
const event: ActivityEvent = createEmitter({ accountId: 'a', region: 'us-south', sink: memorySink() }).build('image.push', input);
const result: ValidationResult = validateEvent(event);
// @ts-expect-error not an action id
const wrong: ActionId = 'image.pussh';
// @ts-expect-error internals are not in the root entry point
core.content;
// @ts-expect-error not a target type: the emitter's input types are real, not any
const badInput: EmitInput<'image.push'> = { initiator: { id: 'IBMid-1' }, target: { type: 'nope' } };
// @ts-expect-error ValidationResult has ok, not okay
result.okay;
export { id, result, wrong, badInput };
`,
    );
    write('required.cts', `import catalog = require('@regtrail/core/catalog');\nexport const n: number = catalog.listActions().length;\n`);
    write('browser.ts', `import { describeAction, whereIs } from '@regtrail/core/catalog';\nexport const text: string = describeAction(whereIs('de.icr.io/ns/app:1').region === 'eu-de' ? 'image.push' : 'image.pull');\n`);
    const options = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipDefaultLibCheck: true };
    // A Node.js project, set up as most are (skipLibCheck); the @ts-expect-error lines show the types are real, not any.
    write('tsconfig.json', JSON.stringify({ compilerOptions: { ...options, skipLibCheck: true, lib: ['es2023'], types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules/@types')] }, files: ['typed.ts', 'required.cts'] }));
    // A browser project: no Node.js types at all, and every declaration file checked (skipLibCheck off):
    // the catalog's declarations must stand without Node.js.
    write('tsconfig.browser.json', JSON.stringify({ compilerOptions: { ...options, skipLibCheck: false, lib: ['es2022', 'dom'], types: [] }, files: ['browser.ts'] }));
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const check = (project: string) => exec(process.execPath, [tsc, '-p', project], { cwd: app }).catch((err: { stdout: string }) => Promise.reject(new Error(err.stdout)));
    await Promise.all([check('tsconfig.json'), check('tsconfig.browser.json')]);
  }, 60_000);

  it.each([
    ['whereIs', `import { whereIs } from '@regtrail/core/catalog';\nconsole.log(whereIs('us.icr.io/ns/app:1.0'));\n`],
    ['the whole catalog', `import * as catalog from '@regtrail/core/catalog';\nconsole.log(catalog);\n`],
  ])('bundles %s from @regtrail/core/catalog for a browser: no Node.js built-ins, no yaml, zod or ajv, at most 150 KB', async (what, source) => {
    const entry = `browser-${what.replace(/\W+/g, '-')}.mjs`;
    write(entry, source);
    // esbuild stops on anything it cannot resolve for a browser, node:* modules included.
    const result = await build({ absWorkingDir: app, entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /node_modules\/(yaml|zod|ajv)\//.test(f) || f.startsWith('node:'))).toEqual([]);
    const bytes = result.outputFiles[0]!.contents.byteLength;
    console.log(`esbuild --platform=browser --minify, ${what} from @regtrail/core/catalog: ${(bytes / 1024).toFixed(1)} KB`);
    expect(bytes).toBeLessThanOrEqual(150 * 1024);
  });
});

describe('regtrail from its tarball', () => {
  it('npx regtrail --version, and a command, run from the scratch project', async () => {
    const env = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    const version = await exec('npx', ['regtrail', '--version'], { cwd: app, env });
    expect(version.stdout.trim()).toBe((readJson(path.join(cliDir, 'package.json')) as { version: string }).version);
    const where = await exec('npx', ['regtrail', 'where', 'jp2.icr.io/team/app:1.4', '--as-of', '2021-03-01', '--json'], { cwd: app, env });
    expect(JSON.parse(where.stdout)).toMatchObject({ region: 'jp-osa', eventLocation: 'jp-tok' });
  });
});
