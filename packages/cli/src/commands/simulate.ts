import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parseInstant } from '../dates.js';
import { RegtrailError } from '@regtrail/core/catalog';
import { fileSink, simulate, SIMULATED_EVENT_MIN_BYTES, stdoutSink, type SimulateOptions } from '@regtrail/core/emit';
import { openDelivery } from '../delivery/open.js';
import { deliveryOptions, type DeliveryCliOptions } from '../delivery/options.js';
import { counted, pipelined } from '../delivery/pipelined.js';
import { deliveredAll, deliveryFields, deliveryLine, deliveryNotes } from '../delivery/report.js';
import { checkRoom } from '../delivery/room.js';
import { EXIT, printError } from '../io.js';
import { progressBar } from '../progress.js';

interface SimulateCliOptions extends Omit<DeliveryCliOptions, 'sink'> {
  sink?: string;
  count: string;
  rate: string;
  seed: string;
  start: string;
  account?: string;
  region: string;
  out?: string;
  realtime?: boolean;
  progress: boolean;
  json?: boolean;
}

export function simulateCommand(): Command {
  const cmd = new Command('simulate')
    .description('Write a realistic, reproducible mix of events (NDJSON) to standard output or a file, or send them to an HTTP ingestion endpoint (--sink).')
    .option('--count <n>', `how many events; refused when the destination cannot hold them at ${SIMULATED_EVENT_MIN_BYTES} bytes each (the free space of --out's file system, or of the spool's with --sink)`, '100')
    .option('--rate <r>', 'mean events per second of simulated time', '5')
    .option('--seed <s>', 'seed of the random generator: the same seed gives the same bytes', '1')
    .option('--start <date>', 'time of the first event (YYYY-MM-DD or an ISO date-time, UTC)', '2025-01-01')
    .option('--account <id>', 'account id (default: derived from the seed)')
    .option('--region <region>', "the service's home region", 'us-south')
    .option('--out <file>', 'append to this NDJSON file instead of standard output')
    .option('--realtime', 'also pace the output in real time at --rate')
    .option('--no-progress', 'no progress bar (there is one on a terminal only)')
    .option('--json', 'with --out or --sink: print the result as one JSON object');
  return deliveryOptions(cmd, { required: false })
    .action(async (opts: SimulateCliOptions) => {
      if (!/^\d+$/.test(opts.count)) throw new RegtrailError('BAD_OPTION', `invalid --count ${JSON.stringify(opts.count)}: expected a whole number`);
      const count = Number(opts.count);
      if (!Number.isSafeInteger(count)) throw new RegtrailError('BAD_OPTION', `invalid --count ${JSON.stringify(opts.count)}: more than ${Number.MAX_SAFE_INTEGER}, which a count cannot hold exactly`);
      const rate = Number(opts.rate);
      if (!(rate > 0) || !Number.isFinite(rate)) throw new RegtrailError('BAD_OPTION', `invalid --rate ${JSON.stringify(opts.rate)}: expected a positive number of events per second`);
      const start = new Date(parseInstant(opts.start, '--start', 'a date such as 2025-01-01 or 2025-01-01T08:00:00Z'));
      // What to simulate; only where the events go differs below.
      const plan = {
        count,
        rate,
        seed: opts.seed,
        start,
        region: opts.region,
        ...(opts.account !== undefined ? { accountId: opts.account } : {}),
        ...(opts.realtime ? { realtime: true } : {}),
      };
      if (opts.sink === undefined) {
        const stray = (['spool', 'tokenEnv', 'deadLetter'] as const).filter((k) => opts[k] !== undefined);
        if (stray.length) throw new RegtrailError('BAD_OPTION', `--${stray[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --sink`);
      }
      if (opts.json && opts.out === undefined && opts.sink === undefined) {
        throw new RegtrailError('BAD_OPTION', '--json needs --out or --sink: without them the events themselves go to standard output');
      }
      if (opts.sink !== undefined) {
        if (opts.out !== undefined) throw new RegtrailError('BAD_OPTION', '--out and --sink cannot be used together');
        // If the endpoint is down, every event waits in the spool (a JetStream sink without --spool has none: it waits in memory).
        if (!/^nats:/i.test(opts.sink) || opts.spool !== undefined) {
          const spoolDir = opts.spool ?? os.tmpdir();
          checkRoom(count, opts.count, SIMULATED_EVENT_MIN_BYTES, spoolDir, `the spool ${spoolDir}`);
        }
        const delivery = await openDelivery({ ...opts, sink: opts.sink }, { total: count });
        const sink = pipelined(delivery.sink, delivery);
        let stopped: string | undefined;
        let failure: string | undefined;
        try {
          await simulate({ ...plan, sink });
          await sink.close();
        } catch (err) {
          // A failure before any event (the plan itself) is a usage error; later ones end in the summary.
          if (!(err instanceof RegtrailError) || (sink.produced === 0 && !sink.failure)) {
            await delivery.finish().catch(() => undefined);
            throw err;
          }
          if (err.code === 'STALLED') {
            stopped = err.message;
            printError(err.message);
          } else {
            failure = err.message;
            printError(err.message);
          }
        }
        const result = await delivery.finish();
        const { produced, accepted } = sink;
        const ok = accepted === count && failure === undefined && deliveredAll(result, stopped);
        const notAccepted = count - accepted;
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ requested: count, simulated: produced, accepted, notAccepted, ok, error: failure ?? null, ...deliveryFields(result, stopped) }, null, 2)}\n`
            : `${notAccepted === 0 ? `${count} event${count === 1 ? '' : 's'} simulated` : `${accepted} of ${count} events accepted; ${notAccepted} not accepted: ${failure ?? stopped}`}; ${deliveryLine(result.stats)}\n`,
        );
        deliveryNotes(result);
        process.exitCode = ok ? EXIT.ok : EXIT.failed;
        return;
      }
      if (opts.out !== undefined) {
        checkRoom(count, opts.count, SIMULATED_EVENT_MIN_BYTES, opts.out, opts.out);
        await simulateToFile(plan, opts.out, opts);
        return;
      }
      const sink = stdoutSink();
      const bar = progressBar(count, opts.progress);
      try {
        await simulate({ ...plan, sink, ...(bar ? { onProgress: (n: number) => bar.update(n) } : {}) });
      } finally {
        await sink.close();
        bar?.end();
      }
    });
}

/**
 * Simulates into an NDJSON file. When the file cannot take them all (a full disk, a file that
 * cannot be written), says how many events are in it and why the rest are not, and exits 1.
 */
async function simulateToFile(plan: Omit<SimulateOptions, 'sink'>, out: string, opts: Pick<SimulateCliOptions, 'json' | 'progress'>): Promise<void> {
  const { count } = plan;
  const file = fileSink(out);
  const sink = counted(file);
  const bar = progressBar(count, opts.progress);
  let failure: unknown;
  try {
    await simulate({ ...plan, sink, ...(bar ? { onProgress: (n: number) => bar.update(n) } : {}) });
  } catch (err) {
    if (!(err instanceof RegtrailError) || (sink.produced === 0 && !sink.failure)) {
      await file.close().catch(() => undefined);
      throw err;
    }
    failure = err;
  }
  try {
    await file.close();
  } catch (err) {
    failure ??= err;
  }
  bar?.end(file.written);
  const written = file.written;
  // The sink's message says what it keeps for later; now there is no later.
  const cause = (failure as { cause?: NodeJS.ErrnoException } | undefined)?.cause;
  const error = failure === undefined ? undefined : cause?.code ? `cannot write to ${out}: ${cause.code}` : (failure as Error).message;
  const ok = error === undefined && written === count;
  if (error !== undefined) printError(`${error}; ${written} of ${count} events written`);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ requested: count, simulated: sink.produced, accepted: written, notAccepted: count - written, ok, error: error ?? null, file: path.resolve(out) }, null, 2)}\n`,
    );
  }
  process.exitCode = ok ? EXIT.ok : EXIT.failed;
}
