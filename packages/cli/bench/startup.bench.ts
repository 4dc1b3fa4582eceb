/**
 * Start-up benchmark (not a test): the time of `regtrail --version` and `regtrail show …`
 * against `node -e ''`, the floor of any Node.js program. Each round runs every contender once,
 * in an order that rotates from round to round, so that a busy machine weighs on all of them
 * alike; each round's ratio is taken within the round, and the min, median and max of the ratios
 * over the rounds are printed, for the CPU time (user + system, as the shell's `times` reports
 * it for the child: steadier on a shared machine) and for the wall time. `show` shows a different
 * action each round (in English and in Chinese), as a user would. Target (issue 12): ≤ 1.5×
 * `node -e ''`. Runs the CLI as npm installs it (bin/regtrail.cjs, then the build's dist).
 *
 * The contenders run without NODE_EXTRA_CA_CERTS: Node.js reads that file at every start, before
 * any program (≈ 90 ms on a machine with a large bundle), a constant that would hide most of what
 * the CLI itself costs. BENCH_KEEP_ENV=1 keeps it.
 *
 *   npm run bench -w regtrail          (BENCH_ROUNDS=30 by default)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allActions } from '@regtrail/core/catalog';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const TARGET = 1.5;
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/regtrail.cjs');
const ids = allActions().map((a) => a.id);

interface Contender {
  readonly label: string;
  readonly args: (round: number) => string[];
}
const contenders: readonly Contender[] = [
  { label: "node -e ''", args: () => ['-e', ''] },
  { label: 'regtrail --version', args: () => [bin, '--version'] },
  { label: 'regtrail show <action>', args: (r) => [bin, 'show', ids[r % ids.length]!] },
  { label: 'regtrail show <action> --lang zh-CN', args: (r) => [bin, 'show', ids[(r * 7) % ids.length]!, '--lang', 'zh-CN'] },
];

const env = { ...process.env };
if (process.env.BENCH_KEEP_ENV !== '1') delete env.NODE_EXTRA_CA_CERTS;

/** Wall and CPU time (ms) of one run; the CPU time is the child's user + system time, from bash's `times`. */
function measure(args: string[]): { wall: number; cpu: number } {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null || exit $?; times`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  // `times` prints the shell's user and system time, then its children's: "0m0.041s 0m0.008s".
  const children = String(r.stdout).trim().split('\n').at(-1)!;
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
  return { wall, cpu };
}

const times: { wall: number; cpu: number }[][] = contenders.map(() => []);
for (let i = 0; i < 3; i++) for (const c of contenders) measure(c.args(i)); // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < contenders.length; k++) {
    const i = (k + round) % contenders.length;
    times[i]!.push(measure(contenders[i]!.args(round)));
  }
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: readonly number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`start-up, ${ROUNDS} rounds, contenders interleaved; the ratio to ${contenders[0]!.label} within each round (min/median/max)`);
console.log(`  NODE_EXTRA_CA_CERTS ${env.NODE_EXTRA_CA_CERTS === undefined ? 'unset' : 'kept'}; load average ${load()}`);
for (const kind of ['cpu', 'wall'] as const) {
  for (let i = 0; i < contenders.length; i++) {
    const own = times[i]!.map((t) => t[kind]);
    const ratios = sorted(times[i]!.map((t, round) => t[kind] / times[0]![round]![kind]));
    const line = `  ${kind.padEnd(4)} ${contenders[i]!.label.padEnd(38)} median ${median(own).toFixed(1).padStart(6)} ms`;
    if (i === 0) console.log(line);
    else console.log(`${line}   ratio min ${ratios[0]!.toFixed(2)}  median ${median(ratios).toFixed(2)}  max ${ratios.at(-1)!.toFixed(2)}   (target ≤ ${TARGET})`);
  }
}
