import { RegtrailError } from '@regtrail/core/catalog';

/** Exit codes shared by every command. */
/** Exit statuses: `brokenPipe` is what a shell reports for a process killed by SIGPIPE (128 + 13). */
export const EXIT = { ok: 0, failed: 1, usage: 2, brokenPipe: 141 } as const;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints one line for errors we expect (bad input); anything else is a bug and keeps its stack. */
export function reportError(err: unknown): number {
  if (err instanceof RegtrailError || (err instanceof Error && (err as { code?: unknown }).code === 'BAD_CONTENT')) {
    process.stderr.write(`regtrail: error: ${err.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`regtrail: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.failed;
}
