/**
 * Delivery memory benchmark (not a test): the peak resident set size of `regtrail simulate
 * --sink` while it sends BENCH_RSS_EVENTS events (1,000,000 by default) through its fsync'ed
 * write-ahead spool to a local receiver that always accepts (its own process), and the rate it
 * delivered them at. Target (issue 12): RSS ≤ 150 MB for 1M events. The peak is the kernel's
 * high-water mark (VmHWM in /proc/<pid>/status), read every 100 ms until the process exits.
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
const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-rss-'));
const started = performance.now();
const child = spawn(process.execPath, [bin, 'simulate', '--count', String(EVENTS), '--seed', 'rss', '--sink', `http://127.0.0.1:${port}/{location}/v1/events`, '--spool', spool, '--json', '--timeout', '600'], {
  stdio: ['ignore', 'pipe', 'inherit'],
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
const received = Number(await (await fetch(`http://127.0.0.1:${port}/`)).text());
receiver.kill();
fs.rmSync(spool, { recursive: true, force: true });
const summary = JSON.parse(out || '{}') as { ok?: boolean; sent?: number };
if (code !== 0 || summary.ok !== true || received < EVENTS) throw new Error(`simulate --sink exited ${code} with ${out.trim()}; the receiver got ${received} of ${EVENTS}`);
console.log(`\nsimulate --sink, ${EVENTS.toLocaleString('en')} events (node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`);
console.log(`  delivered ${Math.round(EVENTS / seconds).toLocaleString('en')} events/s (${seconds.toFixed(1)} s, start-up included)`);
console.log(`  peak RSS ${(peakKb / 1024).toFixed(0)} MB   (target <= ${TARGET_MB} MB)`);
