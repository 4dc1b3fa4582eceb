/**
 * Delivery memory benchmark (not a test): the peak resident set size of `regtrail simulate
 * --sink` while it sends BENCH_RSS_EVENTS events (1,000,000 by default) through its fsync'ed
 * write-ahead spool to a local receiver that always accepts (its own process), and the rate it
 * delivered them at. Target (issue 12): RSS ≤ 150 MB for 1M events. The peak is the kernel's
 * high-water mark (VmHWM in /proc/<pid>/status), read every 100 ms until the process exits.
 *
 * It runs twice: as Node.js starts by default, and with NODE_OPTIONS=--max-old-space-size=1024,
 * which makes V8 collect its old generation sooner (README, "Memory"). The target is on the first.
 *
 *   npm run bench -w regtrail          (BENCH_RSS_EVENTS=1000000)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EVENTS = Number(process.env.BENCH_RSS_EVENTS ?? 1_000_000);
const TARGET_MB = 150;
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/regtrail.cjs');

const receiverSource = `
const http = require('node:http');
let received = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET') return res.end(String(received));
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { received += JSON.parse(Buffer.concat(chunks)).length; res.writeHead(202).end(); });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const receiver = spawn(process.execPath, ['-e', receiverSource], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => receiver.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
let received = 0;

/** One run of simulate --sink: its peak RSS (MB) and delivery rate (events/s). */
async function run(nodeOptions: string): Promise<{ peakMb: number; rate: number; seconds: number }> {
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-rss-'));
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'simulate', '--count', String(EVENTS), '--seed', 'rss', '--sink', `http://127.0.0.1:${port}/{location}/v1/events`, '--spool', spool, '--json', '--timeout', '600'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // Gone already: the last reading stands.
    }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  const total = Number(await (await fetch(`http://127.0.0.1:${port}/`)).text());
  fs.rmSync(spool, { recursive: true, force: true });
  const summary = JSON.parse(out || '{}') as { ok?: boolean };
  if (code !== 0 || summary.ok !== true || total - received < EVENTS) throw new Error(`simulate --sink exited ${code} with ${out.trim()}; the receiver got ${total - received} of ${EVENTS}`);
  received = total;
  return { peakMb: peakKb / 1024, rate: EVENTS / seconds, seconds };
}

try {
  console.log(`\nsimulate --sink, ${EVENTS.toLocaleString('en')} events (node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`);
  for (const [label, options] of [
    ['Node.js defaults', ''],
    ['NODE_OPTIONS=--max-old-space-size=1024', '--max-old-space-size=1024'],
  ] as const) {
    const r = await run(options);
    console.log(`  ${label}: peak RSS ${r.peakMb.toFixed(0)} MB${options ? '' : `   (target <= ${TARGET_MB} MB)`}; delivered ${Math.round(r.rate).toLocaleString('en')} events/s (${r.seconds.toFixed(1)} s, start-up included)`);
  }
} finally {
  receiver.kill();
}
