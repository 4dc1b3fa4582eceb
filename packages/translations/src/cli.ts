import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layout } from './layout.js';
import { AcceptError, FAILING, accept, recordNew, translationStatus, type TranslationEntry, type TranslationState } from './status.js';
import { colourStyle, plainStyle, renderDiff } from './diff.js';
import { TranslationsInputError } from './strings.js';

const HELP = `Usage: npm run translations -- [options] [--accept ID…]

Lists every zh-CN string (content/locales/zh-CN/*.json) and docs page
(apps/docs/src/content/docs/zh-cn/) as current, pinned (to the seed page), stale (the English
changed since it was translated: old and new English shown as a word diff), untracked (no
recorded source), missing or orphaned (English removed); and every pending changeset
(.changeset/*.md) as current, or missing when it has no zh-CN summary after a
<!-- zh-CN --> line. Exits 1 if any is stale, untracked, missing or orphaned.

Options:
  --accept ID…   record that a translator re-read these and kept them: only the recorded
                 hash changes. ID is namespace:key (docs:eventFields.range) or a page
                 (zh-cn/cli.mdx)
  --record-new   record the English of every untracked translation as its source
                 (after translations were added without recording)
  --all          list current and pinned entries too
  --json         print the entries as JSON
  --root DIR     the repository root (default: this repository)
  -h, --help     show this help

Exit status: 0 all current, 1 something to do, 2 bad usage or unreadable input.
`;

const ORDER: TranslationState[] = ['stale', 'untracked', 'missing', 'orphaned', 'current', 'pinned'];

function describe(e: TranslationEntry, colour: boolean): string {
  const lines = [`${e.state.padEnd(9)} ${e.id}  (${e.file})`];
  const indent = (label: string, text: string) => `          ${label} ${text.replace(/\n/g, '\n          ' + ' '.repeat(label.length + 1))}`;
  if (e.state === 'stale') {
    if (e.previousEnglish !== undefined) lines.push(indent('was:', e.previousEnglish), indent('now:', e.english!));
    if (e.diff) lines.push(indent('diff:', renderDiff(e.diff, colour ? colourStyle : plainStyle)));
    else if (e.kind === 'page') lines.push(indent('diff:', '(the English it was translated from is not in this repository\'s git objects)'));
  } else if (e.state === 'untracked') lines.push(indent('fix:', 'npm run translations -- --record-new  (or --accept this id after checking it)'));
  else if (e.state === 'missing' && e.kind === 'changeset') lines.push(indent('fix:', 'add the summary in Chinese after a line <!-- zh-CN --> (.changeset/README.md)'));
  return lines.join('\n');
}

/** Runs the command; returns the exit status. The caller owns the process. */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void, colour: boolean): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        accept: { type: 'boolean' },
        'record-new': { type: 'boolean' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`translations: ${(e as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length && !values.accept) {
    err(`translations: unexpected argument ${JSON.stringify(positionals[0])}; to accept ids, use --accept ${positionals.join(' ')}\n`);
    return 2;
  }
  if (values.accept && !positionals.length) {
    err('translations: --accept needs at least one id (namespace:key or zh-cn/<page>.mdx)\n');
    return 2;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const l = layout(path.resolve(values.root ?? path.join(here, '../../..')));
  try {
    if (values.accept) {
      const changed = accept(l, positionals);
      err(changed.length ? `translations: accepted ${changed.join(', ')}\n` : 'translations: nothing to accept, already current\n');
    }
    if (values['record-new']) {
      const changed = recordNew(l);
      err(changed.length ? `translations: recorded the source of ${changed.join(', ')}\n` : 'translations: no untracked translations\n');
    }
    const entries = translationStatus(l);
    const failing = entries.filter((e) => FAILING.has(e.state));
    if (values.json) out(`${JSON.stringify({ ok: failing.length === 0, entries }, null, 2)}\n`);
    else {
      const shownEntries = values.all ? entries : failing;
      const sorted = [...shownEntries].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
      for (const e of sorted) out(`${describe(e, colour)}\n`);
      const counts = ORDER.map((s) => [s, entries.filter((e) => e.state === s).length] as const).filter(([, n]) => n);
      const count = (kind: TranslationEntry['kind']) => entries.filter((e) => e.kind === kind).length;
      out(`${count('string')} strings, ${count('page')} pages and ${count('changeset')} changesets: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}\n`);
    }
    return failing.length ? 1 : 0;
  } catch (e) {
    if (e instanceof TranslationsInputError || e instanceof AcceptError) {
      err(`translations: ${e.message}\n`);
      return 2;
    }
    // Anything else (an unreadable folder, a git failure) is still one line, never a stack trace.
    err(`translations: ${(e as Error).message}\n`);
    return 2;
  }
}
