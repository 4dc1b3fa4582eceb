import { Command } from 'commander';
import { today, toIsoDate, whereIs } from '@regtrail/core/catalog';
import { printJson } from '../io.js';

export function whereCommand(): Command {
  return new Command('where')
    .description('Say where the events about a region, a registry domain or an image reference are found.')
    .argument('<text>', 'a region (jp-tok, ap-north), a domain (jp.icr.io) or an image (jp2.icr.io/team/app:1.4)')
    .option('--as-of <date>', 'use the rule in force on this date (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action((text: string, opts: { asOf?: string; json?: boolean }) => {
      const asOf = opts.asOf === undefined ? today() : toIsoDate(opts.asOf, '--as-of date');
      const a = whereIs(text, { asOf });
      if (opts.json) return printJson(a);
      const what = a.kind === 'image' ? `image ${a.image!.name} lives in ${a.region}` : `region ${a.region}`;
      process.stdout.write(`${what}: events are found in ${a.eventLocation} (rule ${a.edition}, as of ${a.asOf})\n`);
    });
}
