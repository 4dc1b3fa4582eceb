/** Exit statuses shared by every command; `brokenPipe` is what a shell reports for a process killed by SIGPIPE (128 + 13). */
export const EXIT = { ok: 0, failed: 1, usage: 2, brokenPipe: 141 } as const;

/**
 * The one prefix of every error line and the one of every warning line the CLI prints on
 * standard error, whichever part of it (commander, a command, delivery) has something to say.
 */
export const ERROR_PREFIX = 'regtrail: error: ';
const WARNING_PREFIX = 'regtrail: warning: ';

export function printError(message: string): void {
  process.stderr.write(`${ERROR_PREFIX}${message}\n`);
}

export function printWarning(message: string): void {
  process.stderr.write(`${WARNING_PREFIX}${message}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints one line for errors we expect (bad input); anything else is a bug and keeps its stack. */
export async function reportError(err: unknown): Promise<number> {
  // Loaded here, not up front: `regtrail --version` needs none of the library.
  const { RegtrailError } = await import('@regtrail/core/catalog');
  if (err instanceof RegtrailError || (err instanceof Error && (err as { code?: unknown }).code === 'BAD_CONTENT')) {
    printError(err.message);
    return EXIT.usage;
  }
  printError(`internal error (a bug in regtrail): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return EXIT.failed;
}
