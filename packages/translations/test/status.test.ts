import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { layout } from '../src/layout.js';
import { FAILING, translationStatus } from '../src/status.js';
import { readSources } from '../src/strings.js';
import { run } from '../src/cli.js';
import { copyRepo, repoRoot, runCommand, setString } from './copy.js';

describe('the repository', () => {
  const entries = translationStatus(layout(repoRoot));

  it('has no stale, untracked, missing or orphaned translation (npm run translations)', () => {
    expect(entries.filter((e) => FAILING.has(e.state)).map((e) => `${e.state} ${e.id}`)).toEqual([]);
  });

  it('tracks every zh-CN string and page', () => {
    // Every zh MDX page on disk is an entry (read from the directory, so a new page is tracked too).
    const zhDir = path.join(repoRoot, 'apps/docs/src/content/docs/zh-cn');
    const onDisk = fs.readdirSync(zhDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mdx')).map((f) => `zh-cn/${f.split(path.sep).join('/')}`).sort();
    expect(onDisk.length).toBeGreaterThanOrEqual(4);
    expect(entries.filter((e) => e.kind === 'page').map((e) => e.id).sort()).toEqual(onDisk);
    expect(entries.filter((e) => e.kind === 'string').length).toBeGreaterThanOrEqual(223);
  });

  it('requires a zh-CN summary of every pending changeset', () => {
    const pending = fs.readdirSync(path.join(repoRoot, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pending.length).toBeGreaterThan(0);
    const changesets = entries.filter((e) => e.kind === 'changeset');
    expect(changesets.map((e) => e.file).sort()).toEqual(pending.map((f) => `.changeset/${f}`).sort());
    expect(changesets.filter((e) => e.state !== 'current').map((e) => e.id)).toEqual([]);
  });

  it('pins exactly the seed page’s 23 action descriptions to the seed, not to the English', () => {
    const seed = fs.readFileSync(path.join(repoRoot, 'packages/core/test/fixtures/seed-2019-06-21.zh-CN.md'), 'utf8');
    const seedKeys = [...seed.matchAll(/<td>`container-registry\.([a-z]+\.[a-z]+)`<\/td>/g)].map((m) => m[1]!).sort();
    expect(seedKeys).toHaveLength(23);
    const pinned = [...readSources(layout(repoRoot), 'actions')].filter(([, r]) => 'pinned' in r).map(([k]) => k).sort();
    expect(pinned).toEqual(seedKeys);
    expect(entries.filter((e) => e.state === 'pinned').map((e) => e.id).sort()).toEqual(seedKeys.map((k) => `actions:${k}`));
  });
});

/** The command run in this process (the process tests start it once per case). */
function inProcess(root: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = run(['--root', root, ...args], (s) => (stdout += s), (s) => (stderr += s), false);
  return { status, stdout, stderr };
}

describe('npm run translations, on a copy of the content', () => {
  let copy: ReturnType<typeof copyRepo> | undefined;
  afterEach(() => copy?.remove());

  it('names a pending changeset without a zh-CN summary, or with an empty one, as missing, with the fix', () => {
    copy = copyRepo();
    const file = path.join(copy.root, '.changeset/new-thing.md');
    const english = '---\n"@regtrail/core": patch\n---\n\nA new thing.\n';
    const missing = '  fix: add the summary in Chinese after a line <!-- zh-CN --> (.changeset/README.md)';
    fs.writeFileSync(file, english);
    let r = inProcess(copy.root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`missing   changeset:new-thing  (.changeset/new-thing.md)\n        ${missing}`);
    expect(r.stdout).toMatch(/ strings, \d+ pages and \d+ changesets: /);

    fs.writeFileSync(file, `${english}\n<!-- zh-CN -->\n\n`);
    r = inProcess(copy.root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('missing   changeset:new-thing');

    fs.writeFileSync(file, `${english}\n<!-- zh-CN -->\n\n一个新功能。\n`);
    r = inProcess(copy.root);
    expect(r.stdout).not.toContain('changeset:new-thing');
    expect(r.status).toBe(0);
    expect(inProcess(copy.root, '--json').stdout).toContain('"id": "changeset:new-thing"');
  });

  it('names a string whose English changed, with both English versions, until it is accepted', async () => {
    copy = copyRepo();
    const sidecar = path.join(copy.root, 'content/locales/zh-CN/.sources/docs.json');
    const zhFile = path.join(copy.root, 'content/locales/zh-CN/docs.json');
    const zhBefore = fs.readFileSync(zhFile, 'utf8');
    const before = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as Record<string, { hash: string; en: string }>;
    setString(copy.root, 'en', 'docs', 'eventFields.range', 'Allowed range');

    const stale = await runCommand(copy.root);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('stale     docs:eventFields.range');
    expect(stale.stdout).toContain('was: Range');
    expect(stale.stdout).toContain('now: Allowed range');
    expect(stale.stdout).toContain('diff: [-Range-]{+Allowed range+}');

    const accepted = inProcess(copy.root, '--accept', 'docs:eventFields.range');
    expect(accepted.stderr).toContain('accepted docs:eventFields.range');
    expect(accepted.status).toBe(0);
    // Only that record changed, and the translation itself did not.
    const after = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as typeof before;
    expect(after['eventFields.range']!.en).toBe('Allowed range');
    expect(after['eventFields.range']!.hash).not.toBe(before['eventFields.range']!.hash);
    expect({ ...after, 'eventFields.range': null }).toEqual({ ...before, 'eventFields.range': null });
    expect(fs.readFileSync(zhFile, 'utf8')).toBe(zhBefore);
  });

  it('names a page whose English changed, with the change word by word, until it is accepted', async () => {
    copy = copyRepo();
    const enFile = path.join(copy.root, 'apps/docs/src/content/docs/cli.mdx');
    const zhFile = path.join(copy.root, 'apps/docs/src/content/docs/zh-cn/cli.mdx');
    const zhBefore = fs.readFileSync(zhFile, 'utf8');
    fs.writeFileSync(enFile, fs.readFileSync(enFile, 'utf8').replace('## ', '## Fully '));

    const stale = inProcess(copy.root, '--json');
    expect(stale.status).toBe(1);
    const data = JSON.parse(stale.stdout) as { ok: boolean; entries: { id: string; state: string; diff: { op: string; text: string }[] }[] };
    expect(data.ok).toBe(false);
    const page = data.entries.find((e) => e.id === 'zh-cn/cli.mdx')!;
    expect(page.state).toBe('stale');
    expect(page.diff.filter((p) => p.op !== '=')).toEqual([{ op: '+', text: 'Fully ' }]);

    const human = await runCommand(copy.root);
    expect(human.status).toBe(1);
    expect(human.stdout).toMatch(/stale +zh-cn\/cli\.mdx/);
    expect(human.stdout).toContain('{+Fully +}');

    expect(inProcess(copy.root, '--accept', 'zh-cn/cli.mdx').status).toBe(0);
    const zhAfter = fs.readFileSync(zhFile, 'utf8');
    const withoutHash = (s: string) => s.replace(/^sourceHash: .*$/m, '');
    expect(withoutHash(zhAfter)).toBe(withoutHash(zhBefore));
    expect(zhAfter).not.toBe(zhBefore);
  });

  it('reports missing, orphaned and untracked strings, and --record-new records the new ones', () => {
    copy = copyRepo();
    const l = layout(copy.root);
    setString(copy.root, 'en', 'docs', 'site.onlyInEnglish', 'Only in English');
    setString(copy.root, 'zh-CN', 'docs', 'site.onlyInChinese', '只有中文');
    setString(copy.root, 'en', 'common', 'labels.brandNew', 'Brand new');
    setString(copy.root, 'zh-CN', 'common', 'labels.brandNew', '全新');
    const lines: string[] = [];
    expect(run(['--root', copy.root], (s) => lines.push(s), () => {}, false)).toBe(1);
    const text = lines.join('');
    expect(text).toMatch(/missing +docs:site\.onlyInEnglish/);
    expect(text).toMatch(/orphaned +docs:site\.onlyInChinese/);
    expect(text).toMatch(/untracked +common:labels\.brandNew/);

    const errs: string[] = [];
    run(['--root', copy.root, '--record-new'], () => {}, (s) => errs.push(s), false);
    expect(errs.join('')).toContain('recorded the source of common:labels.brandNew');
    expect(readSources(l, 'common').get('labels.brandNew')).toEqual({ hash: expect.any(String), en: 'Brand new' });
    const states = translationStatus(l).filter((e) => FAILING.has(e.state)).map((e) => `${e.state} ${e.id}`);
    expect(states).toEqual(['missing docs:site.onlyInEnglish', 'orphaned docs:site.onlyInChinese']);
  });

  it('tracks the plural forms of a string as one string, whose forms differ by language', () => {
    copy = copyRepo();
    const l = layout(copy.root);
    expect(translationStatus(l).filter((e) => e.id.startsWith('docs:history.tableOnDate'))).toEqual([
      { kind: 'string', id: 'docs:history.tableOnDate', state: 'current', file: 'content/locales/zh-CN/docs.json' },
    ]);
    setString(copy.root, 'en', 'docs', 'history.tableOnDate_one', 'The table on this date ({{count}} action)');
    const stale = translationStatus(l).find((e) => e.id === 'docs:history.tableOnDate')!;
    expect(stale.state).toBe('stale');
    expect(stale.english).toBe('The table on this date ({{count}} action)\nThe events table on this date ({{count}} actions listed)');
  });

  it('refuses to accept what it cannot, in one line, with status 2', () => {
    copy = copyRepo();
    setString(copy.root, 'en', 'docs', 'site.onlyInEnglish', 'Only in English');
    for (const [args, message] of [
      [['--accept', 'docs:site.onlyInEnglish'], 'docs:site.onlyInEnglish: has no zh-CN translation to accept'],
      [['--accept', 'docs:no.such.key'], 'docs:no.such.key: no such string'],
      [['--accept', 'actions:image.push'], 'actions:image.push: is pinned to the seed page'],
      [['--accept'], '--accept needs at least one id'],
      [['docs:site.title'], 'unexpected argument "docs:site.title"'],
      [['--frobnicate'], "Unknown option '--frobnicate'"],
    ] as const) {
      const errs: string[] = [];
      expect(run(['--root', copy.root, ...args], () => {}, (s) => errs.push(s), false)).toBe(2);
      expect(errs.join('')).toContain(message);
      expect(errs.join('').trim().split('\n')).toHaveLength(1);
    }
  });

  it('names the file of a broken sidecar', () => {
    copy = copyRepo();
    fs.writeFileSync(path.join(copy.root, 'content/locales/zh-CN/.sources/docs.json'), '{"a": {"hash": 1}}');
    const errs: string[] = [];
    expect(run(['--root', copy.root], () => {}, (s) => errs.push(s), false)).toBe(2);
    expect(errs.join('')).toBe('translations: content/locales/zh-CN/.sources/docs.json: a: expected {"hash", "en"} or {"pinned": "seed"}\n');
  });
});
