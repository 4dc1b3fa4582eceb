import { Command } from 'commander';
import { resolveLanguage, today, toIsoDate, translator, whereIs } from '@regtrail/core/catalog';
import { printJson } from '../io.js';

export function whereCommand(): Command {
  return new Command('where')
    .description('Say where the events about a region, a registry domain or an image reference are found.')
    .argument('<text>', 'a region (jp-tok, ap-north), a domain (jp.icr.io) or an image (jp2.icr.io/team/app:1.4)')
    .option('--as-of <date>', 'use the rule in force on this date (YYYY-MM-DD)')
    .option('--lang <lng>', 'language (en, zh-CN)', 'en')
    .option('--json', 'print JSON')
    .action((text: string, opts: { asOf?: string; lang: string; json?: boolean }) => {
      const lng = resolveLanguage(opts.lang);
      const asOf = opts.asOf === undefined ? today() : toIsoDate(opts.asOf, '--as-of date');
      const a = whereIs(text, { asOf });
      if (opts.json) return printJson(a);
      const facts = { region: a.region, location: a.eventLocation, edition: a.edition, asOf: a.asOf };
      const t = translator(lng);
      process.stdout.write(`${a.kind === 'image' ? t('cli:where.image', { ...facts, image: a.image!.name }) : t('cli:where.region', facts)}\n`);
    });
}
