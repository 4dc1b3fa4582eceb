/**
 * `simulate --out` benchmark (not a test): the rate of `regtrail simulate --count N --out FILE`,
 * the built CLI as npm installs it (bin/regtrail.cjs), against a plain loop that writes the same
 * bytes: a Node.js process that copies the simulated file (in the page cache) to another file in
 * 64 KiB blocks and ends with an fsync, as the file sink does. That loop is the floor of any
 * program writing these bytes here (start-up, reading them back and writing them); it does not
 * make them. Each round runs both, in an order that rotates from round to round; the ratio is
 * taken within the round. Rates are events per second of wall time (the issue's target, ≥ 150k
 * events/s) and of CPU time (the child's user + system time, as bash's `times` reports it:
 * steadier on a shared machine); start-up is included in both.
 *
 *   npm run bench -w regtrail          (BENCH_SIM_EVENTS=200000, BENCH_SIM_ROUNDS=5)
 *
 * BENCH_SIM_BASELINE: the bin of another build of the CLI (such as the commit an issue was filed
 * at, built in a worktree) runs in the same rounds as a third contender, and the ratio of the two
 * is printed: a machine slower or faster than the one a target was set on changes both alike.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EVENTS = Number(process.env.BENCH_SIM_EVENTS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_SIM_ROUNDS ?? 5);
const TARGET = 150_000;
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/regtrail.cjs');
const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'regtrail-simulate-bench-'));
const out = path.join(dir, 'simulated.ndjson');
const copy = path.join(dir, 'copy.ndjson');
const reference = path.join(dir, 'reference.ndjson');

const baseline = process.env.BENCH_SIM_BASELINE ? path.resolve(process.env.BENCH_SIM_BASELINE) : undefined;
const env = { ...process.env };
// Read by Node.js at every start, before any program: a constant that is no part of either contender.
delete env.NODE_EXTRA_CA_CERTS;

/** The plain loop: the same bytes, read back from the page cache and written in 64 KiB blocks, then fsync. */
const copySource = `
const fs = require('node:fs');
const [from, to] = process.argv.slice(1);
const input = fs.openSync(from, 'r');
const output = fs.openSync(to, 'a');
const block = Buffer.allocUnsafe(65536);
for (let n; (n = fs.readSync(input, block, 0, block.length, null)) > 0; ) {
  for (let off = 0; off < n; ) off += fs.writeSync(output, block, off, n - off);
}
fs.fsyncSync(output);
fs.closeSync(output);
fs.closeSync(input);
`;

/** Wall and CPU time (s) of one run: the CPU time is the child's user + system time, from bash's `times`. */
function measure(args: string[]): { wall: number; cpu: number; stdout: string } {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `${quoted} || exit $?; times >&2`], { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  // `times` prints the shell's user and system time, then its children's: "0m0.041s 0m0.008s".
  const children = String(r.stderr).trim().split('\n').at(-1)!;
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { wall, cpu, stdout: String(r.stdout) };
}

const simulateArgs = (cli: string, file: string) => [cli, 'simulate', '--count', String(EVENTS), '--seed', 'bench', '--out', file, '--json', '--no-progress'];
const simulateWith = (cli: string, file: string) => () => {
  fs.rmSync(file, { force: true });
  const t = measure(simulateArgs(cli, file));
  // Earlier builds said `simulated` where this one says `accepted` (a sink may refuse what was simulated).
  const summary = JSON.parse(t.stdout) as { ok?: boolean; accepted?: number; simulated?: number };
  if (summary.ok !== true || (summary.accepted ?? summary.simulated) !== EVENTS) throw new Error(`simulate --out (${cli}) did not write every event: ${t.stdout}`);
  return t;
};
const baselineOut = path.join(dir, 'baseline.ndjson');
type Contender = 'simulate' | 'copy' | 'baseline';
const contenders: Record<Contender, (() => { wall: number; cpu: number }) | undefined> = {
  simulate: simulateWith(bin, out),
  copy: () => {
    fs.rmSync(copy, { force: true });
    return measure(['-e', copySource, reference, copy]);
  },
  baseline: baseline ? simulateWith(baseline, baselineOut) : undefined,
};

// The reference file: what simulate writes (the same seed gives the same bytes), made once.
contenders.simulate!();
fs.renameSync(out, reference);
const bytes = fs.statSync(reference).size;
contenders.copy!();

const keys = (Object.keys(contenders) as Contender[]).filter((k) => contenders[k] !== undefined);
const times: Record<Contender, { wall: number; cpu: number }[]> = { simulate: [], copy: [], baseline: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < keys.length; k++) {
    const key = keys[(k + round) % keys.length]!;
    times[key].push(contenders[key]!());
  }
  if (fs.statSync(out).size !== bytes || fs.statSync(copy).size !== bytes) throw new Error('the contenders wrote different bytes');
  if (baseline && fs.statSync(baselineOut).size !== bytes) throw new Error(`the baseline (${baseline}) wrote other events than this build: ratios would compare different work`);
}
fs.rmSync(dir, { recursive: true, force: true });

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: readonly number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: readonly number[], digits = 0) => {
  const s = sorted(xs);
  const f = (n: number) => (digits === 0 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits));
  return `min ${f(s[0]!)}  median ${f(median(s))}  max ${f(s.at(-1)!)}`;
};
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`\nsimulate --out, ${EVENTS.toLocaleString('en-US')} events, ${(bytes / EVENTS).toFixed(0)} bytes each, ${ROUNDS} rounds (node ${process.version}, ${os.cpus().length} CPUs, load average ${load()})`);
for (const kind of ['wall', 'cpu'] as const) {
  console.log(`  ${kind.padEnd(4)} simulate --out           events/s ${spread(times.simulate.map((t) => EVENTS / t[kind]))}${kind === 'wall' ? `   (target >= ${TARGET.toLocaleString('en-US')})` : ''}`);
  console.log(`  ${kind.padEnd(4)} plain copy of its bytes  events/s ${spread(times.copy.map((t) => EVENTS / t[kind]))}`);
  console.log(`  ${kind.padEnd(4)} simulate / copy, same round (time of copy / time of simulate): ${spread(times.simulate.map((t, r) => times.copy[r]![kind] / t[kind]), 2)}`);
  if (baseline) {
    console.log(`  ${kind.padEnd(4)} baseline simulate --out  events/s ${spread(times.baseline.map((t) => EVENTS / t[kind]))}   (${baseline})`);
    console.log(`  ${kind.padEnd(4)} simulate / baseline, same round (time of baseline / time of simulate): ${spread(times.simulate.map((t, r) => times.baseline[r]![kind] / t[kind]), 2)}`);
  }
}
