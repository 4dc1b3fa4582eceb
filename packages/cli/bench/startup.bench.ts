/**
 * Start-up benchmark (not a test): the wall time of `regtrail --version` and `regtrail show …`
 * against `node -e ''`, the floor of any Node.js program. Each round runs every contender once,
 * in an order that rotates from round to round, so that a busy machine weighs on all of them
 * alike; each round's ratio is taken within the round, and the min, median and max of the ratios
 * over the rounds are printed. `show` shows a different action each round (in English and in
 * Chinese), as a user would. Target (issue 12): ≤ 1.5× `node -e ''`. Runs the built CLI (dist).
 *
 *   npm run bench -w regtrail          (BENCH_ROUNDS=30 by default)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allActions } from '@regtrail/core/catalog';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const TARGET = 1.5;
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/regtrail.js');
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

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  return ms;
}

const times: number[][] = contenders.map(() => []);
for (let i = 0; i < 3; i++) for (const c of contenders) wallMs(c.args(i)); // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < contenders.length; k++) {
    const i = (k + round) % contenders.length;
    times[i]!.push(wallMs(contenders[i]!.args(round)));
  }
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: readonly number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`start-up, ${ROUNDS} rounds, contenders interleaved; wall time, and the ratio to ${contenders[0]!.label} within each round`);
for (let i = 0; i < contenders.length; i++) {
  const ratios = sorted(times[i]!.map((t, round) => t / times[0]![round]!));
  const line = `  ${contenders[i]!.label.padEnd(38)} median ${median(times[i]!).toFixed(1).padStart(6)} ms`;
  if (i === 0) console.log(line);
  else console.log(`${line}   ratio min ${ratios[0]!.toFixed(2)}  median ${median(ratios).toFixed(2)}  max ${ratios.at(-1)!.toFixed(2)}   (target ≤ ${TARGET})`);
}
