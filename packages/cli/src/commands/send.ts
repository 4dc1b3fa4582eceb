import { Command } from 'commander';
import { RegtrailError } from '@regtrail/core/catalog';
import type { ActivityEvent } from '@regtrail/core/emit';
import { DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_LINE_BYTES, lintStream, type LintProblem } from '@regtrail/core/validate';
import { openDelivery } from '../delivery/open.js';
import { deliveryOptions, type DeliveryCliOptions } from '../delivery/options.js';
import { deliveredAll, deliveryFields, deliveryLine, deliveryNotes } from '../delivery/report.js';
import { openInput } from '../input.js';
import { EXIT, printError } from '../io.js';
import { parseLimits, type LimitOptions } from '../limits.js';

interface SendCliOptions extends DeliveryCliOptions, LimitOptions {
  json?: boolean;
  lifecycle: boolean;
}

export function sendCommand(): Command {
  const cmd = new Command('send')
    .description(
      'Validate events (NDJSON or one JSON array, from a file or standard input) and deliver the valid ones to an HTTP ingestion endpoint, ' +
        'through a write-ahead spool with retries and a dead letter. Exit code 0: all delivered, 1: some invalid, dead-lettered or not delivered in time, 2: usage error.',
    )
    .argument('<file>', "the file to read; '-' for standard input");
  return deliveryOptions(cmd, { required: true })
    .option('--json', 'print the result as one JSON object')
    .option('--no-lifecycle', 'do not check that each action was listed on its event date')
    .option('--max-line-bytes <n>', 'longest NDJSON line; a longer one is reported and not sent', String(DEFAULT_MAX_LINE_BYTES))
    .option('--max-event-bytes <n>', 'largest event; a larger one is reported and not sent', String(DEFAULT_MAX_EVENT_BYTES))
    .option('--no-progress', 'no progress bar (there is one on a terminal only)')
    .action(async (file: string, opts: SendCliOptions) => {
      const limits = parseLimits(opts);
      const delivery = await openDelivery(opts);
      let input: ReturnType<typeof openInput>;
      try {
        input = openInput(file);
      } catch (err) {
        await delivery.finish().catch(() => undefined);
        throw err;
      }
      const { name, stream } = input;
      const problems: LintProblem[] = [];
      let out = '';
      const onProblem = (p: LintProblem) => {
        if (opts.json) {
          problems.push(p);
          return;
        }
        out += `line ${p.line}: ${p.path || '(event)'}: ${p.message}\n`;
        if (out.length > 64 * 1024) {
          process.stdout.write(out);
          out = '';
        }
      };
      // An event the sink cannot take at all (it cannot be serialized) is a problem of its line; anything else stops the command.
      let unsendable = 0;
      let validSeen = 0;
      /** A write the sink could not take (the spool cannot be written): reading stops there. */
      let sinkFailure: RegtrailError | undefined;
      const onValid = (event: Record<string, unknown>, line: number) => {
        validSeen++;
        return delivery.guard(delivery.sink.write(event as unknown as ActivityEvent)).catch((err: unknown) => {
          if (err instanceof RegtrailError && err.code !== 'BAD_EVENT' && err.code !== 'STALLED') sinkFailure ??= err;
          if (!(err instanceof RegtrailError) || err.code !== 'BAD_EVENT') throw err;
          unsendable++;
          onProblem({ line, path: '', message: `cannot be sent: ${err.message}` });
        });
      };
      const invalidLines = new Set<number>();
      const collect = onProblem;
      let summary: { events: number; valid: number; invalid: number };
      let stopped: string | undefined;
      try {
        summary = await lintStream(stream, (p) => (invalidLines.add(p.line), collect(p)), { lifecycle: opts.lifecycle, ...limits, onValid });
      } catch (err) {
        if (!(err instanceof RegtrailError && (err.code === 'STALLED' || err === sinkFailure))) {
          await delivery.finish().catch(() => undefined);
          throw err;
        }
        stopped = err.message;
        (stream as { destroy?: () => void }).destroy?.();
        summary = { events: validSeen + invalidLines.size, valid: validSeen, invalid: invalidLines.size };
      }
      const result = await delivery.finish();
      const invalid = summary.invalid + unsendable;
      const valid = summary.valid - unsendable;
      const { stats } = result;
      const ok = invalid === 0 && deliveredAll(result, stopped);
      if (stopped) printError(`${stopped}; the rest of ${name} was not read`);
      if (opts.json) {
        out = `${JSON.stringify(
          {
            file: name,
            ok,
            events: summary.events,
            valid,
            invalid,
            ...deliveryFields(result, stopped),
            problems,
          },
          null,
          2,
        )}\n`;
      } else {
        out += `${name}: ${summary.events} event${summary.events === 1 ? '' : 's'} read, ${valid} valid, ${invalid} invalid; ${deliveryLine(stats)}\n`;
      }
      process.stdout.write(out);
      deliveryNotes(result);
      process.exitCode = ok ? EXIT.ok : EXIT.failed;
    });
}
