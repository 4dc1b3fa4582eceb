#!/usr/bin/env node
import { EXIT, reportError } from './io.js';
import { plainShowArgs, printShow } from './show-print.js';
import { snapshotView } from './show-snapshot.js';
import { packageVersion, versionOnly } from './version.js';

async function main(argv: string[]): Promise<number> {
  // `regtrail --version` alone: print what commander prints for it, without loading commander
  // (the surface tests compare the two).
  if (versionOnly(argv.slice(2))) {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  // `regtrail show <action>` in its plain forms, with a view the build precomputed: printed
  // without loading commander (show-print.ts; anything else goes through commander).
  const show = plainShowArgs(argv.slice(2));
  const view = show && snapshotView(show.id, show.lang);
  if (show && view) {
    try {
      await printShow(view, show.json);
      return EXIT.ok;
    } catch (err) {
      return reportError(err);
    }
  }
  const { CommanderError, createProgram } = await import('./program.js');
  try {
    await (await createProgram(argv.slice(2))).parseAsync(argv);
    // A command that found problems (lint) sets the exit code itself.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (or the help).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(err);
  }
}

// A reader that goes away (regtrail simulate | head): stop quietly, as Unix tools do, but never
// report success for work cut short: the command's own failure status when it has one, else that
// of a process killed by SIGPIPE (128 + 13), as a shell reports for a POSIX tool.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : EXIT.brokenPipe);
  throw err;
});

void main(process.argv).then((code) => {
  process.exitCode = code;
});
