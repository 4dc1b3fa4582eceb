import { Command } from 'commander';
import { printJson } from '../io.js';
import { snapshotView } from '../show-snapshot.js';
import { renderTable } from '../table.js';

export function showCommand(): Command {
  return new Command('show')
    .description('Show everything the catalog says about one action (container-registry.image.push or image.push).')
    .argument('<action>', 'action id, with or without the container-registry. prefix')
    .option('--lang <lng>', 'language (en, zh-CN)', 'en')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { lang: string; json?: boolean }) => {
      // The build's precomputed view; the library (catalog, i18next) only for what it lacks.
      const view = snapshotView(id, opts.lang) ?? (await import('../show-view.js')).showView(id, opts.lang);
      const j = view.json;
      if (opts.json) return printJson(j);
      const out = [j.id, `  ${j.description}`, '', (await renderTable(['', ''], view.facts)).split('\n').slice(2).join('\n')];
      if (j.fields.length) {
        out.push('', view.fieldsTitle, await renderTable(view.fieldHeaders, j.fields.map((f) => [f.path, f.type, f.values?.join(', ') ?? '', f.label]), { wrap: [2, 3] }));
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
