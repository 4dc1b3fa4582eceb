import { readFileSync } from 'node:fs';

/** The package's version, as package.json says. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Whether these arguments (what follows `regtrail`) only ask for the version: --version or -V, nothing else. */
export const versionOnly = (args: readonly string[]): boolean => args.length > 0 && args.every((a) => a === '--version' || a === '-V');
