import { Command } from 'commander';
import { printShow } from '../show-print.js';
import { snapshotView } from '../show-snapshot.js';

export function showCommand(): Command {
  return new Command('show')
    .description('Show everything the catalog says about one action (container-registry.image.push or image.push).')
    .argument('<action>', 'action id, with or without the container-registry. prefix')
    .option('--lang <lng>', 'language (en, zh-CN)', 'en')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { lang: string; json?: boolean }) => {
      // The build's precomputed view; the library (catalog, i18next) only for what it lacks.
      const view = snapshotView(id, opts.lang) ?? (await import('../show-view.js')).showView(id, opts.lang);
      await printShow(view, opts.json);
    });
}
