import { printJson } from './io.js';
import type { ShowView } from './show-view.js';
import { renderTable } from './table.js';

/** Prints what `regtrail show` prints for a view: its JSON, or the action, its facts and its fields as tables. */
export async function printShow(view: ShowView, json: boolean | undefined): Promise<void> {
  const j = view.json;
  if (json) return printJson(j);
  const out = [j.id, `  ${j.description}`, '', (await renderTable(['', ''], view.facts)).split('\n').slice(2).join('\n')];
  if (j.fields.length) {
    out.push('', view.fieldsTitle, await renderTable(view.fieldHeaders, j.fields.map((f) => [f.path, f.type, f.values?.join(', ') ?? '', f.label]), { wrap: [2, 3] }));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * The arguments of `regtrail show` in their plain forms, read without commander (its start-up is
 * most of what `show` costs): `show <action>`, with `--lang <lng>` or `--lang=<lng>` and `--json`
 * at most once each, in any order. Anything else (help, `--`, an unknown or repeated option, a
 * missing or second action) is undefined, and goes to commander, which the surface tests hold
 * this reading to.
 */
export function plainShowArgs(args: readonly string[]): { id: string; lang: string; json: boolean } | undefined {
  if (args[0] !== 'show') return undefined;
  let id: string | undefined;
  let lang: string | undefined;
  let json = false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json' && !json) json = true;
    else if (a === '--lang' && lang === undefined && i + 1 < args.length && !args[i + 1]!.startsWith('-')) lang = args[++i]!;
    else if (a.startsWith('--lang=') && lang === undefined && a.length > '--lang='.length) lang = a.slice('--lang='.length);
    else if (!a.startsWith('-') && id === undefined) id = a;
    else return undefined;
  }
  return id === undefined ? undefined : { id, lang: lang ?? 'en', json };
}
