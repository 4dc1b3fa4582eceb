import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { listActions, listRegions, resources, translator } from '@regtrail/core/catalog';
import { createProgram } from '../src/program.js';
import { plainShowArgs } from '../src/show-print.js';
import { KNOWN_WIDTH, knownWidth } from '../src/table.js';
import { cliPath, packageDir } from './paths.js';

/** The CLI's own surface, run as a process: hints, help, message prefixes, table width, languages, start-up. */
const run = async (args: string[], env: Record<string, string | undefined> = {}) => {
  const fullEnv = { ...process.env, ...env };
  delete fullEnv.COLUMNS;
  if (env.COLUMNS !== undefined) fullEnv.COLUMNS = env.COLUMNS;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args], { env: fullEnv });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const EMIT = ['--account', 'a', '--initiator-id', 'IBMid-1', '--image', 'us.icr.io/ns/app:1'];

describe('a mistyped action id, region or group: the closest one from the catalog is suggested', () => {
  it.each([
    [['show', 'image.pussh'], 'unknown action "image.pussh"; did you mean image.push?'],
    [['show', 'container-registry.imgae.pull'], 'did you mean container-registry.image.pull?'],
    [['schema', 'namespace.creat'], 'did you mean namespace.create?'],
    [['emit', 'image.pussh', '--region', 'us-south', ...EMIT], 'did you mean image.push?'],
    [['emit', 'image.push', '--region', 'us-soth', ...EMIT], 'unknown region or registry domain "us-soth"; did you mean us-south?'],
    [['simulate', '--count', '1', '--region', 'eu-dee'], 'did you mean eu-de?'],
    [['where', 'jp.icr.oi'], 'did you mean jp.icr.io?'],
    [['where', 'ap-nort', '--as-of', '2019-06-21'], 'did you mean ap-north?'],
    [['actions', '--group', 'imgaes'], 'unknown group "imgaes"; did you mean images?'],
    [['actoins'], "unknown command 'actoins'\n(Did you mean actions?)"],
    [['actions', '--grop', 'images'], "unknown option '--grop'\n(Did you mean --group?)"],
  ])('%j', async (args, hint) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('regtrail: error: '), r.stderr).toBe(true);
    expect(r.stderr).toContain(hint);
  });

  it.each([[['where', 'mars']], [['show', 'xyzzy']]])('%j: nothing close, no hint', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/did you mean/i);
  });
});

describe('--help', () => {
  it('marks every required option of every command, and only those', async () => {
    const program = await createProgram([]);
    let required = 0;
    const helps = await Promise.all(program.commands.map(async (cmd) => (await run([cmd.name(), '--help'])).stdout));
    for (const [k, cmd] of program.commands.entries()) {
      const help = helps[k]!;
      for (const option of cmd.options) {
        // The option's entry: from its flags to the next option (descriptions wrap onto more lines).
        const start = help.indexOf(`  ${option.flags}  `);
        expect(start, `${cmd.name()} ${option.flags}`).toBeGreaterThan(0);
        const entry = help.slice(start, help.indexOf('\n  -', start + 1));
        expect(entry.replace(/\s+/g, ' ').includes('(required)'), `${cmd.name()} ${option.flags}: ${entry}`).toBe(Boolean(option.mandatory));
        if (option.mandatory) required++;
      }
    }
    expect(required).toBeGreaterThanOrEqual(4); // emit's --account, --region and --initiator-id, send's --sink
  });

  it.each([
    ['simulate', '--count <n>', '(default: 100)'],
    ['simulate', '--rate <r>', '(default: 5)'],
    ['simulate', '--batch-size <n>', '(default: 500)'],
    ['send', '--timeout <s>', '(default: 30)'],
    ['lint', '--max-line-bytes <n>', '(default: 1048576)'],
    ['simulate', '--region <region>', '(default: "us-south")'],
  ])('%s %s shows %s: numbers as numbers, text quoted', async (command, flags, shown) => {
    const help = (await run([command, '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(shown);
    expect(help).not.toMatch(/default: "\d+(\.\d+)?"/);
  });
});

describe('one prefix for errors, one for warnings', () => {
  it.each([
    [['show', 'nope.nope']],
    [['actions', '--bogus']],
    [['emit', 'image.push']],
    [['lint', '/nonexistent/file.ndjson']],
    [['simulate', '--count', 'many']],
    [['frobnicate']],
  ])('%j: the first line is "regtrail: error: …"', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^regtrail: error: \S/);
    // What commander adds after its message is a hint in parentheses, never another kind of line.
    for (const line of rest) expect(line).toMatch(/^\((Did you mean .*\?|run with --help for usage)\)$/);
  });

  it('a warning from the library says "regtrail: warning: "', async () => {
    // An event id that is not a UUID is accepted with a warning.
    const r = await run(['emit', 'image.push', '--region', 'us-south', ...EMIT, '--id', 'not-a-uuid']);
    if (r.stderr) for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^regtrail: warning: \S/);
  });

  it('no source file but io.ts writes its own prefix', () => {
    const files = fs.readdirSync(path.join(packageDir, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'io.ts');
    const offenders = files.filter((f) => /stderr\.write\([^)]*regtrail:/.test(fs.readFileSync(path.join(packageDir, 'src', f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/** What a line shows from a display column on (Chinese characters take two). */
function fromColumn(line: string, column: number): string {
  let at = 0;
  for (const [i, ch] of [...line].entries()) {
    if (at >= column) return [...line].slice(i).join('');
    at += stringWidth(ch);
  }
  return '';
}

/** Runs the built CLI on a pseudo-terminal of the given width (util-linux script), as a user's terminal. */
async function onTerminal(columns: number, args: string[]): Promise<string> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${columns} rows 50; ${[process.execPath, cliPath, ...args].map(quote).join(' ')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete env.COLUMNS;
  const { stdout } = await promisify(execFile)('script', ['-q', '-e', '-c', command, '/dev/null'], { env, maxBuffer: 16 << 20 });
  return stdout.replace(/\r\n/g, '\n');
}

describe('tables fit the terminal; ids are never cut, descriptions wrap', () => {
  const ids = listActions().map((a) => a.id);
  const descriptions = (lng: 'en' | 'zh-CN') => listActions().map((a) => translator(lng)(`actions:${a.id.slice('container-registry.'.length)}`));

  it.each([
    ['a terminal 150 columns wide', 150, 'en'],
    ['a terminal 130 columns wide', 130, 'en'],
    ['a terminal 120 columns wide, in Chinese', 120, 'zh-CN'],
    // Narrower than the ids and dates need: the table is as narrow as it can be, ids still whole.
    ['a terminal 80 columns wide', 80, 'en'],
  ] as const)('actions on %s', async (_what, columns, lng) => {
    const screen = await onTerminal(columns, ['actions', '--lang', lng]);
    const lines = screen.trimEnd().split('\n');
    const tableWidth = stringWidth(lines[1]!); // the dashes under the headers
    if (columns >= 120) expect(tableWidth).toBeLessThanOrEqual(columns);
    else expect(tableWidth).toBeLessThan(stringWidth((await run(['actions', '--lang', lng])).stdout.split('\n')[1]!)); // narrower than in a pipe
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(tableWidth);
    // Descriptions were wrapped: more lines than rows.
    expect(lines.length).toBeGreaterThan(ids.length + 4);
    for (const id of ids) expect(lines.some((l) => l.startsWith(`${id} `)), id).toBe(true);
    // Every description is still there, whole, once the wrapped lines are joined.
    const cells = lines.map((l) => fromColumn(l, lines[1]!.lastIndexOf(' ') + 1).trim());
    // (Chinese wraps between any two characters: compare without spaces.)
    const squeeze = (t: string) => (lng === 'en' ? t.replace(/\s+/g, ' ') : t.replace(/\s+/g, ''));
    const text = squeeze(cells.join(' '));
    for (const d of descriptions(lng)) expect(text).toContain(squeeze(d));
  });

  it('COLUMNS is honoured when standard output is not a terminal', async () => {
    const r = await run(['show', 'image-vulnerability-report.read'], { COLUMNS: '80' });
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines.length).toBeGreaterThan((await run(['show', 'image-vulnerability-report.read'])).stdout.trimEnd().split('\n').length);
    for (const path of ['requestData.RequestParameters.name', 'container-registry/image-vulnerability-report']) expect(r.stdout).toContain(path);
  });

  it('a pipe (no terminal, no COLUMNS) gets every row whole, on one line', async () => {
    const r = await run(['actions']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + ids.length + 2);
    for (const [i, id] of ids.entries()) expect(lines[2 + i]).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')} .*${descriptions('en')[i]!.replace(/[.()]/g, '\\$&')}$`));
  });
});

describe('--lang zh-CN says everything in Chinese', () => {
  it.each([
    [['actions', '--lang', 'zh-CN', '--as-of', '2019-06-21'], ['操作', '截至 2019-06-21，共 23 个操作']],
    [['actions', '--as-of', '2019-06-21'], ['Action', '23 actions as of 2019-06-21']],
    [['regions', '--lang', 'zh-CN'], ['区域', '原名称', '事件所在位置', '（event-routing，自 2025-04-01 起）']],
    [['regions', '--lang', 'zh-CN', '--as-of', '2019-06-21'], ['（legacy，2019-03-14 – 2019-07-25）']],
    [['where', 'jp2.icr.io/team/app:1.4', '--as-of', '2021-03-01', '--lang', 'zh-CN'], ['映像 jp2.icr.io/team/app 位于区域 jp-osa：事件位于位置 jp-tok（规则 logdna-osaka，截至 2021-03-01）']],
    [['where', 'ap-north', '--as-of', '2019-06-21', '--lang', 'zh-CN'], ['区域 jp-tok：事件位于位置 ap-south（规则 legacy，截至 2019-06-21）']],
    [['show', 'image-vulnerability-report.read', '--lang', 'zh-CN'], ['字段：', '允许的值']],
  ])('%j', async (args, expected) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
    for (const text of expected) expect(r.stdout).toContain(text);
    if (args.includes('zh-CN')) {
      // No English words left but ids, dates, domains and product names.
      const words = r.stdout.match(/\b[A-Z][a-z]+(?: [a-z]+)+\b/g) ?? [];
      expect(words.filter((w) => !/IBM|Cloud|Activity|Tracker|Event|Routing|Registry|Advisor|Vulnerability|Docker|Airtel/.test(w))).toEqual([]);
    }
  });

  it('the footer is plural-aware in English', () => {
    const t = translator('en');
    expect(t('cli:actions.footer', { count: 1, asOf: '2025-01-01' })).toBe('1 action as of 2025-01-01');
    expect(t('cli:actions.footer', { count: 2, asOf: '2025-01-01' })).toBe('2 actions as of 2025-01-01');
    expect(listRegions().length).toBeGreaterThan(1);
  });
});

describe('start-up: only the command being run is loaded', () => {
  /**
   * The files a run of the CLI loads: the CommonJS ones (its start-up bundle, commander), as
   * require.cache holds them at exit, and the ES modules, as a module hook sees them.
   */
  async function loaded(args: string[]): Promise<string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-modules-'));
    const log = path.join(dir, 'loaded.txt');
    fs.writeFileSync(path.join(dir, 'hooks.mjs'), `import fs from 'node:fs';\nexport async function load(url, context, next) { fs.appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
    fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${dir}/hooks.mjs`)});\n`);
    fs.writeFileSync(path.join(dir, 'required.cjs'), `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).map((f) => 'file://' + f + '\\n').join('')));\n`);
    await promisify(execFile)(process.execPath, ['--require', path.join(dir, 'required.cjs'), '--import', path.join(dir, 'register.mjs'), cliPath, ...args]);
    const urls = fs.readFileSync(log, 'utf8').trim().split('\n');
    fs.rmSync(dir, { recursive: true, force: true });
    return urls;
  }

  const library = (u: string) => u.includes('@regtrail/core') || u.includes('packages/core') || u.includes('i18next');
  it.each([
    [['--version'], []],
    [['show', 'image.push'], []],
    [['show', 'image.push', '--lang', 'zh-CN'], []],
    [['show', 'container-registry.image-vulnerability-report.read', '--json'], []],
    [['where', 'us-south'], ['commands/where.js', '/i18next/']],
  ])('%j loads the start-up bundle, %j and no other command, nor ajv or string-width', async (args, expected) => {
    const urls = await loaded(args);
    expect(urls.filter((u) => u.endsWith('/dist/regtrail.cjs'))).toHaveLength(1);
    for (const part of expected) expect(urls.some((u) => u.includes(part)), part).toBe(true);
    const commands = urls.filter((u) => u.includes('/dist/commands/'));
    expect(commands).toHaveLength(expected.filter((e) => e.startsWith('commands/')).length);
    expect(urls.filter((u) => /\/(ajv|string-width|wrap-ansi)\//.test(u))).toEqual([]);
    // `show` is in the bundle and prints what the build precomputed (dist/show/*.json): neither the catalog nor i18next is loaded.
    if (args[0] === '--version' || args[0] === 'show') expect(urls.filter(library)).toEqual([]);
    // Nothing but the bundle for these (not even commander: --version and show's plain forms are read without it): no ES module at all.
    const own = (u: string) => u.includes('regtrail-modules-') || u.endsWith('/bin/regtrail.cjs') || u.endsWith('/dist/regtrail.cjs');
    if (args[0] === 'show' || args[0] === '--version') expect(urls.filter((u) => !own(u))).toEqual([]);
  });

  it('--version, answered without commander, prints what commander prints for it', async () => {
    const program = await createProgram(['--version']);
    let out = '';
    program.configureOutput({ writeOut: (text) => (out += text) });
    await expect(program.parseAsync(['node', 'regtrail', '--version'])).rejects.toMatchObject({ code: 'commander.version', exitCode: 0 });
    expect(out).toMatch(/^\d+\.\d+\.\d+/);
    for (const args of [['--version'], ['-V'], ['-V', '--version']]) expect(await run(args)).toEqual({ code: 0, stdout: out, stderr: '' });
  });

  it('show, read without commander, reads its arguments as commander does, and leaves it every other form', async () => {
    const cases: string[][] = [
      ['show', 'image.push'],
      ['show', '--json', 'image.push'],
      ['show', 'image.push', '--lang', 'zh-CN', '--json'],
      ['show', '--lang=zh-cn', 'container-registry.image.pull'],
      ['show', '--lang', 'fr', 'image.push'],
      ['show', 'image.push', '--lang'],
      ['show', 'image.push', '--lang', '--json'],
      ['show', 'image.push', '--lang='],
      ['show', 'image.push', '--json', '--json'],
      ['show', 'image.push', '--lang', 'en', '--lang', 'zh-CN'],
      ['show', 'image.push', 'image.pull'],
      ['show', '--', 'image.push'],
      ['show', '-h'],
      ['show', 'image.push', '--help'],
      ['show', 'image.push', '--jsn'],
      ['show'],
      ['--lang', 'en', 'show', 'image.push'],
      ['actions'],
    ];
    for (const args of cases) {
      const plain = plainShowArgs(args);
      if (plain === undefined) continue;
      // What commander makes of the same arguments, with show's action replaced by a recorder.
      const program = await createProgram(args);
      program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
      let seen: unknown;
      program.commands.find((c) => c.name() === 'show')!.action((id: string, opts: { lang: string; json?: boolean }) => void (seen = { id, lang: opts.lang, json: opts.json === true }));
      await program.parseAsync(['node', 'regtrail', ...args]);
      expect(plain, args.join(' ')).toEqual(seen);
    }
    // The forms left to commander.
    expect(cases.filter((a) => plainShowArgs(a) === undefined)).toHaveLength(13);
  });

  it('show falls back to the library for what the snapshot lacks, and says what is wrong', async () => {
    const urls = await loaded(['show', 'image.push', '--lang', 'zh-cn']);
    expect(urls.filter(library)).toEqual([]);
    const r = await run(['show', 'image.push', '--lang', 'fr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^regtrail: error: unknown language "fr"; use one of en, zh-CN\n$/);
    const typo = await run(['show', 'image.pussh', '--lang', 'zh-cn']);
    expect(typo.stderr).toBe('regtrail: error: unknown action "image.pussh"; did you mean image.push? (regtrail actions --all lists every action)\n');
  });
});

describe('the table’s known-width fast path agrees with string-width', () => {
  /** Every character of the fast path's class (all of them are in the Basic Multilingual Plane). */
  const known = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((ch) => KNOWN_WIDTH.test(ch));

  it('every character it claims, alone, is as wide as string-width says', () => {
    expect(known.length).toBeGreaterThan(20_000);
    const wrong = known.filter((ch) => knownWidth(ch) !== stringWidth(ch)).map((ch) => `U+${ch.charCodeAt(0).toString(16)}`);
    expect(wrong).toEqual([]);
  });

  it('strings of them, including every catalog text it claims, are as wide as string-width says', () => {
    let seed = 12;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const strings = Array.from({ length: 3000 }, () => Array.from({ length: 1 + random(40) }, () => known[random(known.length)]).join(''));
    const texts = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(texts) : []);
    const catalog = texts(resources).filter((t) => KNOWN_WIDTH.test(t));
    expect(catalog.filter((t) => /[\u3000-\uffff]/.test(t)).length).toBeGreaterThan(100);
    for (const str of [...strings, ...catalog]) expect(knownWidth(str), str).toBe(stringWidth(str));
  });

  it('leaves to string-width what it does not know: combining marks, emoji, controls, half-width forms', () => {
    for (const str of ['e\u0301', 'か\u3099', '\u302a', '👍', '✔\ufe0f', '\u00ad', '\t', '\uff71', '\u303f', '©']) expect(KNOWN_WIDTH.test(str), str).toBe(false);
  });
});
