#!/usr/bin/env node
import { run } from './cli.js';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

process.exitCode = run(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
  Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
);
