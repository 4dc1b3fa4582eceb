import fs from 'node:fs';
import { Command } from 'commander';
import { RegtrailError } from '../../errors.js';
import { lintStream, type LintProblem } from '../../validate/lint.js';
import { EXIT } from '../io.js';

function open(file: string | undefined): { name: string; stream: AsyncIterable<Buffer> } {
  if (file === undefined || file === '-') return { name: '(stdin)', stream: process.stdin };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new RegtrailError('NO_FILE', `cannot read ${file}: no such file`);
  }
  if (stat.isDirectory()) throw new RegtrailError('NO_FILE', `cannot read ${file}: it is a directory`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new RegtrailError('NO_FILE', `cannot read ${file}: permission denied`);
  }
  return { name: file, stream: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) };
}

export function lintCommand(): Command {
  return new Command('lint')
    .description('Validate events, NDJSON or one JSON array, from a file or standard input. Exit code 0: all valid, 1: some invalid, 2: usage error.')
    .argument('[file]', "the file to read; '-' or none for standard input")
    .option('--json', 'print the result as one JSON object')
    .option('--no-lifecycle', 'do not check that each action was listed on its event date')
    .action(async (file: string | undefined, opts: { json?: boolean; lifecycle: boolean }) => {
      const { name, stream } = open(file);
      const problems: LintProblem[] = [];
      let out = '';
      const onProblem = opts.json
        ? (p: LintProblem) => void problems.push(p)
        : (p: LintProblem) => {
            out += `line ${p.line}: ${p.path || '(event)'}: ${p.message}\n`;
            if (out.length > 64 * 1024) {
              process.stdout.write(out);
              out = '';
            }
          };
      const summary = await lintStream(stream, onProblem, { lifecycle: opts.lifecycle });
      if (opts.json) {
        out = `${JSON.stringify({ file: name, ...summary, ok: summary.invalid === 0, problems }, null, 2)}\n`;
      } else {
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
        out += `${name}: ${plural(summary.events, 'event')}, ${summary.valid} valid, ${summary.invalid} invalid, ${plural(summary.problems, 'problem')}\n`;
      }
      process.stdout.write(out);
      process.exitCode = summary.invalid === 0 ? EXIT.ok : EXIT.failed;
    });
}
