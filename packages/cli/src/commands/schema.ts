import { Command } from 'commander';
import { eventSchema } from '@regtrail/core/validate';
import { printJson } from '../io.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('Print the JSON Schema (draft 2020-12) of events: of every action, or of one.')
    .argument('[action]', 'an action id, such as image.push or container-registry.image.push')
    .option('--json', 'print JSON (the default; the schema is always JSON)')
    .action((action: string | undefined) => {
      printJson(eventSchema(action));
    });
}
