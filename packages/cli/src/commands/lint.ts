import { Command } from 'commander';
import { DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_LINE_BYTES, lintStream, type LintProblem } from '@regtrail/core/validate';
import { openInput } from '../input.js';
import { EXIT } from '../io.js';
import { parseLimits, type LimitOptions } from '../limits.js';

export function lintCommand(): Command {
  return new Command('lint')
    .description('Validate events, NDJSON or one JSON array, from a file or standard input. Exit code 0: all valid, 1: some invalid, 2: usage error.')
    .argument('[file]', "the file to read; '-' or none for standard input")
    .option('--json', 'print the result as one JSON object: file, problems (each with line, path and message), events, valid, invalid, ok')
    .option('--no-lifecycle', 'do not check that each action was listed on its event date')
    .option('--max-line-bytes <n>', 'longest NDJSON line; a longer one is reported and skipped', String(DEFAULT_MAX_LINE_BYTES))
    .option('--max-event-bytes <n>', 'largest event (line or array element); a larger one is reported and skipped', String(DEFAULT_MAX_EVENT_BYTES))
    .action(async (file: string | undefined, opts: { json?: boolean; lifecycle: boolean } & LimitOptions) => {
      const limits = parseLimits(opts);
      const { name, stream } = openInput(file);
      // Problems are printed as they are found (in blocks), so that a huge file's are never all in memory.
      let out = opts.json ? `{\n  "file": ${JSON.stringify(name)},\n  "problems": [` : '';
      let count = 0;
      const emit = (text: string) => {
        out += text;
        if (out.length > 64 * 1024) {
          process.stdout.write(out);
          out = '';
        }
      };
      const onProblem = opts.json
        ? (p: LintProblem) => emit(`${count++ === 0 ? '' : ','}\n${JSON.stringify(p, null, 2).replace(/^/gm, '    ')}`)
        : (p: LintProblem) => emit(`line ${p.line}: ${p.path || '(event)'}: ${p.message}\n`);
      const summary = await lintStream(stream, onProblem, { lifecycle: opts.lifecycle, ...limits });
      if (opts.json) {
        const { events, valid, invalid } = summary;
        out += `${count === 0 ? '' : '\n  '}],\n${JSON.stringify({ events, valid, invalid, ok: invalid === 0 }, null, 2).slice(2)}\n`;
      } else {
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
        out += `${name}: ${plural(summary.events, 'event')}, ${summary.valid} valid, ${summary.invalid} invalid, ${plural(summary.problems, 'problem')}\n`;
      }
      process.stdout.write(out);
      process.exitCode = summary.invalid === 0 ? EXIT.ok : EXIT.failed;
    });
}
