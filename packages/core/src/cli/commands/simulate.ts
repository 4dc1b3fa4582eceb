import { Command } from 'commander';
import { RegtrailError } from '../../errors.js';
import { simulate } from '../../simulate/simulate.js';
import { fileSink } from '../../sinks/file.js';
import { stdoutSink } from '../../sinks/stream.js';

interface SimulateCliOptions {
  count: string;
  rate: string;
  seed: string;
  start: string;
  account?: string;
  region: string;
  out?: string;
  realtime?: boolean;
  progress: boolean;
}

function progressBar(total: number): { update(done: number): void; end(): void } {
  const width = 30;
  let last = -1;
  let lastAt = 0;
  const draw = (done: number) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total}`);
  };
  return {
    update(done) {
      const pct = Math.floor((done / total) * 100);
      const now = Date.now();
      if (pct !== last && now - lastAt > 50) {
        last = pct;
        lastAt = now;
        draw(done);
      }
    },
    end() {
      draw(total);
      process.stderr.write('\n');
    },
  };
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('Write a realistic, reproducible mix of events (NDJSON) to standard output or a file.')
    .option('--count <n>', 'how many events', '100')
    .option('--rate <r>', 'mean events per second of simulated time', '5')
    .option('--seed <s>', 'seed of the random generator: the same seed gives the same bytes', '1')
    .option('--start <date>', 'time of the first event (YYYY-MM-DD or an ISO date-time, UTC)', '2025-01-01')
    .option('--account <id>', 'account id (default: derived from the seed)')
    .option('--region <region>', "the service's home region", 'us-south')
    .option('--out <file>', 'append to this NDJSON file instead of standard output')
    .option('--realtime', 'also pace the output in real time at --rate')
    .option('--no-progress', 'no progress bar (there is one on a terminal only)')
    .action(async (opts: SimulateCliOptions) => {
      if (!/^\d+$/.test(opts.count)) throw new RegtrailError('BAD_OPTION', `invalid --count ${JSON.stringify(opts.count)}: expected a whole number`);
      const count = Number(opts.count);
      const rate = Number(opts.rate);
      if (!(rate > 0) || !Number.isFinite(rate)) throw new RegtrailError('BAD_OPTION', `invalid --rate ${JSON.stringify(opts.rate)}: expected a positive number of events per second`);
      const startText = /^\d{4}-\d{2}-\d{2}$/.test(opts.start) ? `${opts.start}T00:00:00Z` : opts.start;
      const start = new Date(startText);
      if (!/^\d{4}-\d{2}-\d{2}/.test(opts.start) || Number.isNaN(start.getTime())) {
        throw new RegtrailError('BAD_OPTION', `invalid --start ${JSON.stringify(opts.start)}: expected a date such as 2025-01-01 or 2025-01-01T08:00:00Z`);
      }
      const sink = opts.out !== undefined ? fileSink(opts.out) : stdoutSink();
      const bar = opts.progress && process.stderr.isTTY ? progressBar(count) : undefined;
      try {
        await simulate({
          count,
          rate,
          seed: opts.seed,
          start,
          region: opts.region,
          sink,
          ...(opts.account !== undefined ? { accountId: opts.account } : {}),
          ...(opts.realtime ? { realtime: true } : {}),
          ...(bar ? { onProgress: (n: number) => bar.update(n) } : {}),
        });
      } finally {
        await sink.close();
        bar?.end();
      }
    });
}
