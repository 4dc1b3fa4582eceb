import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { actionsCommand } from './commands/actions.js';
import { showCommand } from './commands/show.js';
import { regionsCommand } from './commands/regions.js';
import { whereCommand } from './commands/where.js';
import { emitCommand } from './commands/emit.js';
import { lintCommand } from './commands/lint.js';
import { simulateCommand } from './commands/simulate.js';
import { schemaCommand } from './commands/schema.js';
import { sendCommand } from './commands/send.js';
import { proxyCommand } from './commands/proxy.js';
import { notificationsCommand } from './commands/notifications.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The regtrail command tree; each subcommand lives in commands/ and only calls the library. */
export function createProgram(): Command {
  const program = new Command('regtrail')
    .description('The Container Registry activity-tracking catalog, region rules and event tools.')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(actionsCommand())
    .addCommand(showCommand())
    .addCommand(regionsCommand())
    .addCommand(whereCommand())
    .addCommand(emitCommand())
    .addCommand(lintCommand())
    .addCommand(simulateCommand())
    .addCommand(schemaCommand())
    .addCommand(sendCommand())
    .addCommand(proxyCommand())
    .addCommand(notificationsCommand());
  // Commander exits 1 on usage errors by default; usage errors are 2 here, as for bad input.
  const exitOnUsage = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOnUsage);
  };
  exitOnUsage(program);
  return program;
}
