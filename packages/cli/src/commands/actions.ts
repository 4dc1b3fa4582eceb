import { Command, Option } from 'commander';
import { groups, kindLabel, listActions, resolveLanguage, statusLabel, today, toIsoDate, translator, type GroupId } from '@regtrail/core/catalog';
import { actionJson } from '../format.js';
import { printJson } from '../io.js';
import { renderTable } from '../table.js';

interface ActionsOptions {
  asOf?: string;
  group?: string;
  data?: boolean;
  management?: boolean;
  all?: boolean;
  lang: string;
  json?: boolean;
}

export function actionsCommand(): Command {
  return new Command('actions')
    .description('List the actions that generate activity-tracking events, as of a date (today by default).')
    .option('--as-of <date>', 'show the catalog as it stood on this date (YYYY-MM-DD)')
    // The catalog checks the group (and suggests the closest); the choices are listed in --help.
    .addOption(new Option('--group <group>', 'only this group').choices([...groups()]).argParser((group) => group))
    .addOption(new Option('--data', 'only data events').conflicts('management'))
    .addOption(new Option('--management', 'only management events').conflicts('data'))
    .option('--all', 'include actions removed by that date')
    .option('--lang <lng>', 'language of descriptions (en, zh-CN)', 'en')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (opts: ActionsOptions) => {
      const lng = resolveLanguage(opts.lang);
      const asOf = opts.asOf === undefined ? today() : toIsoDate(opts.asOf, '--as-of date');
      const entries = listActions({
        asOf,
        ...(opts.group ? { group: opts.group as GroupId } : {}),
        ...(opts.data ? { dataEvent: true } : opts.management ? { dataEvent: false } : {}),
        includeRemoved: Boolean(opts.all),
      });
      if (opts.json) return printJson(entries.map((e) => actionJson(e, lng)));
      const t = translator(lng);
      const rows = entries.map((e) => {
        const j = actionJson(e, lng);
        return [e.id, j.groupTitle, kindLabel(e.dataEvent, lng), e.since, statusLabel(e, lng), j.description];
      });
      const headers = ['labels.action', 'labels.group', 'labels.kind', 'labels.since', 'labels.status', 'labels.description'].map((k) => t(k));
      const table = await renderTable(headers, rows, { wrap: [1, 2, 4, 5] });
      process.stdout.write(`${table}\n\n${t('cli:actions.footer', { count: entries.length, asOf })}\n`);
    });
}
