import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The CLI guide's examples. The guide runs each one against the built CLI at build time and
 * shows its real output; the docs tests run them again and compare, so the guide cannot drift.
 */
export interface CliExample {
  /** Arguments after `regtrail`. */
  readonly args: readonly string[];
  /** true: the zh-CN guide runs it with `--lang zh-CN`. */
  readonly localized: boolean;
  readonly exitCode: number;
  /** The guide that shows it: the CLI guide (`cli`) or the emitter guide (`emitter`). */
  readonly page: 'cli' | 'emitter';
}

export const CLI_EXAMPLES = {
  seed: { args: ['actions', '--as-of', '2019-06-21'], localized: true, exitCode: 0, page: 'cli' },
  dataImages: { args: ['actions', '--as-of', '2022-01-18', '--group', 'images', '--data'], localized: true, exitCode: 0, page: 'cli' },
  allTokens: { args: ['actions', '--as-of', '2022-01-18', '--group', 'registry-tokens', '--all'], localized: true, exitCode: 0, page: 'cli' },
  show: { args: ['show', 'image.push'], localized: true, exitCode: 0, page: 'cli' },
  showRemoved: { args: ['show', 'registrytoken.create'], localized: true, exitCode: 0, page: 'cli' },
  json: { args: ['show', 'image-vulnerability-report.read', '--json'], localized: false, exitCode: 0, page: 'cli' },
  unknown: { args: ['show', 'image.rmi'], localized: false, exitCode: 2, page: 'cli' },
  // The emitter guide; examples/events.ndjson is a file of two events, the second one invalid.
  emit: {
    args: [
      'emit', 'image.push', '--account', 'a1b2c3', '--region', 'us-south', '--image', 'us.icr.io/team-a/app:1.4',
      '--initiator-id', 'IBMid-310000ABCD', '--initiator-name', 'dev@example.com', '--ip', '203.0.113.7',
      '--time', '2025-03-01T12:00:00Z', '--id', '7d1e5c1a-0f3b-4e59-9a56-3c8e2b1d4f60',
    ],
    localized: false,
    exitCode: 0,
    page: 'emitter',
  },
  lint: { args: ['lint', 'examples/events.ndjson'], localized: false, exitCode: 1, page: 'emitter' },
} as const satisfies Record<string, CliExample>;

export type CliExampleName = keyof typeof CLI_EXAMPLES;

/** The arguments an example runs with in a language. */
export function exampleArgs(name: CliExampleName, lang: string): string[] {
  const ex: CliExample = CLI_EXAMPLES[name];
  return ex.localized && lang !== 'en' ? [...ex.args, '--lang', lang] : [...ex.args];
}

/** The built CLI of the regtrail package, as npm installs it (its package.json `bin`). */
export function cliPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('regtrail/package.json');
  const { bin } = require('regtrail/package.json') as { bin: Record<string, string> };
  return path.join(path.dirname(pkg), bin.regtrail!);
}

/** The docs package's directory (apps/docs): examples run there, so their file arguments are relative to it. */
export function docsDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('@regtrail/docs/package.json'));
}

/** Runs the built CLI; returns what a terminal would show (stdout then stderr) and the exit code. */
export function runCli(args: readonly string[]): { output: string; exitCode: number } {
  try {
    const stdout = execFileSync(process.execPath, [cliPath(), ...args], {
      cwd: docsDir(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    return { output: stdout.trimEnd(), exitCode: 0 };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    if (typeof e.status !== 'number') throw err;
    return { output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trimEnd(), exitCode: e.status };
  }
}
