import { Command } from 'commander';
import { ERROR_PREFIX } from './io.js';
import { packageVersion, versionOnly } from './version.js';

export { CommanderError } from 'commander';

/**
 * Every command, by name, and how to load it. Only the command being run is loaded (with what
 * it imports: the catalog, i18next, ajv, delivery), so that `regtrail --version` and
 * `regtrail show …` start about as fast as Node.js itself; help, `help <command>` and a
 * mistyped command load them all, to list them or suggest the closest.
 */
const commands: Record<string, () => Promise<Command>> = {
  actions: async () => (await import('./commands/actions.js')).actionsCommand(),
  show: async () => (await import('./commands/show.js')).showCommand(),
  regions: async () => (await import('./commands/regions.js')).regionsCommand(),
  where: async () => (await import('./commands/where.js')).whereCommand(),
  emit: async () => (await import('./commands/emit.js')).emitCommand(),
  lint: async () => (await import('./commands/lint.js')).lintCommand(),
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand(),
  schema: async () => (await import('./commands/schema.js')).schemaCommand(),
  send: async () => (await import('./commands/send.js')).sendCommand(),
  relay: async () => (await import('./commands/relay.js')).relayCommand(),
  proxy: async () => (await import('./commands/proxy.js')).proxyCommand(),
  notifications: async () => (await import('./commands/notifications.js')).notificationsCommand(),
};

/** The names of the commands to load for these arguments (what follows `regtrail`). */
function commandsFor(args: readonly string[]): string[] {
  const first = args.find((a) => !a.startsWith('-'));
  if (first !== undefined && Object.hasOwn(commands, first)) return [first];
  // Only the version asked for: no command is needed.
  if (versionOnly(args)) return [];
  return Object.keys(commands);
}

/** A default such as '500' is shown as the number it is (default: 500), not as the string "500". */
const NUMBER = /^-?\d+(\.\d+)?$/;

/** The settings every command shares, applied to the whole tree (commander's addCommand does not pass them on). */
function configure(cmd: Command): void {
  cmd
    .exitOverride() // commander exits 1 on usage errors by default; usage errors are 2 here, as for bad input
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .configureOutput({
      // Commander's own messages start "error: "; every error line of regtrail has one prefix.
      outputError: (text, write) => write(text.startsWith('error: ') ? ERROR_PREFIX + text.slice('error: '.length) : text),
    });
  for (const option of cmd.options) {
    if (option.mandatory) option.description = `${option.description} (required)`;
    if (typeof option.defaultValue === 'string' && NUMBER.test(option.defaultValue) && option.defaultValueDescription === undefined) {
      option.defaultValueDescription = option.defaultValue;
    }
  }
  cmd.commands.forEach(configure);
}

/** The regtrail command tree, holding the commands these arguments need; each subcommand lives in commands/ and only calls the library. */
export async function createProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('regtrail')
    .description('The Container Registry activity-tracking catalog, region rules and event tools.')
    .version(packageVersion());
  for (const cmd of await Promise.all(commandsFor(args).map((name) => commands[name]!()))) program.addCommand(cmd);
  configure(program);
  return program;
}
