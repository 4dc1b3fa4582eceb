import { Command } from 'commander';
import { getAction, kindLabel, resolveLanguage, severityLabel, translator } from '@regtrail/core/catalog';
import { actionJson } from '../format.js';
import { printJson } from '../io.js';
import { renderTable } from '../table.js';

export function showCommand(): Command {
  return new Command('show')
    .description('Show everything the catalog says about one action (container-registry.image.push or image.push).')
    .argument('<action>', 'action id, with or without the container-registry. prefix')
    .option('--lang <lng>', 'language (en, zh-CN)', 'en')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { lang: string; json?: boolean }) => {
      const lng = resolveLanguage(opts.lang);
      const action = getAction(id);
      const j = actionJson(action, lng);
      if (opts.json) return printJson(j);
      const t = translator(lng);
      const facts: [string, string][] = [
        [t('labels.group'), j.groupTitle],
        [t('labels.kind'), kindLabel(action.dataEvent, lng)],
        [t('labels.severity'), severityLabel(action.severity, lng)],
        [t('labels.targetTypeURI'), action.targetTypeURI],
        [t('labels.since'), action.since],
        ...(action.deprecated ? [[t('labels.deprecatedOn'), action.deprecated] as [string, string]] : []),
        ...(action.removed ? [[t('labels.removedOn'), action.removed] as [string, string]] : []),
      ];
      const out = [action.id, `  ${j.description}`, '', (await renderTable(['', ''], facts)).split('\n').slice(2).join('\n')];
      if (j.fields.length) {
        const headers = [t('labels.field'), t('labels.type'), t('labels.values'), t('labels.description')];
        out.push('', t('cli:show.fields'), await renderTable(headers, j.fields.map((f) => [f.path, f.type, f.values?.join(', ') ?? '', f.label]), { wrap: [2, 3] }));
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
