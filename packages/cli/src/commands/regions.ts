import { Command } from 'commander';
import { listRegions, locationEditionOn, locationUnder, resolveLanguage, today, toIsoDate, translator } from '@regtrail/core/catalog';
import { printJson } from '../io.js';
import { renderTable } from '../table.js';

export function regionsCommand(): Command {
  return new Command('regions')
    .description('List the registry regions and where their events are found, under the rule in force on a date (today by default).')
    .option('--as-of <date>', 'use the rule in force on this date (YYYY-MM-DD)')
    .option('--lang <lng>', 'language of names (en, zh-CN)', 'en')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (opts: { asOf?: string; lang: string; json?: boolean }) => {
      const lng = resolveLanguage(opts.lang);
      const t = translator(lng);
      const asOf = opts.asOf === undefined ? today() : toIsoDate(opts.asOf, '--as-of date');
      const edition = locationEditionOn(asOf);
      const rows = listRegions().map((r) => ({
        region: r.id,
        formerName: r.formerName ?? null,
        name: t(`regions:${r.id}.name`),
        city: t(`regions:${r.id}.city`),
        domain: r.domain,
        privateDomain: r.privateDomain ?? null,
        deprecatedDomain: r.deprecatedDomain ?? null,
        crnLocation: r.crnLocation,
        eventLocation: locationUnder(edition, r) ?? null,
      }));
      if (opts.json) return printJson(rows);
      const table = await renderTable(
        ['region', 'formerName', 'name', 'domain', 'eventLocation'].map((k) => t(`cli:regions.${k}`)),
        rows.map((r) => [r.region, r.formerName ?? '', r.name, r.domain, r.eventLocation ?? '—']),
        { wrap: [2] },
      );
      const rule = { rule: t(`regions:editions.${edition.id}`), edition: edition.id, since: edition.since, until: edition.until };
      process.stdout.write(`${table}\n\n${t(edition.until ? 'cli:regions.ruleBetween' : 'cli:regions.ruleSince', rule)}\n`);
    });
}
