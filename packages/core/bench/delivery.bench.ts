/**
 * Delivery benchmark (not a test): events per second the HTTP sink delivers to a local receiver
 * that always accepts, and to one that fails one request in five with 503; prints both and the
 * ratio. The receiver runs in its own process, so that it does not share the sink's event loop.
 *
 *   npm run bench:delivery -w @regtrail/core          (BENCH_EVENTS=50000 by default)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHttpSink, type ActivityEvent, type HttpSinkStats } from '../src/index.js';
import { testEvent } from '../test/events.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const IN_FLIGHT_WRITES = 256;

const receiverSource = `
const http = require('node:http');
const failEvery = Number(process.env.FAIL_EVERY || 0);
const seen = new Set();
let requests = 0, received = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET') return res.end(JSON.stringify({ unique: seen.size, received, requests }));
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests++;
    if (failEvery && requests % failEvery === 0) return res.writeHead(503).end('busy');
    const events = JSON.parse(Buffer.concat(chunks));
    for (const e of events) seen.add(e.id);
    received += events.length;
    res.writeHead(202).end();
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startReceiver(failEvery: number): Promise<{ port: number; stop: () => void; stats: () => Promise<{ unique: number; received: number; requests: number }> }> {
  const proc = spawn(process.execPath, ['-e', receiverSource], { env: { ...process.env, FAIL_EVERY: String(failEvery) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => proc.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  return {
    port,
    stop: () => proc.kill(),
    stats: async () => (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { unique: number; received: number; requests: number },
  };
}

// The same event the delivery tests send, with a fresh time.
const event = (i: number): ActivityEvent => testEvent({ id: `bench-${i}`, time: new Date().toISOString() });

async function run(label: string, failEvery: number, events = EVENTS, quiet = false): Promise<number> {
  const EVENTS = events;
  const receiver = await startReceiver(failEvery);
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-bench-'));
  const sink = createHttpSink({ url: `http://127.0.0.1:${receiver.port}/{location}/v1/events`, spoolDir, log: false });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < EVENTS) await sink.write(event(next++));
  };
  await Promise.all(Array.from({ length: IN_FLIGHT_WRITES }, worker));
  const accepted = performance.now();
  await sink.close({ timeoutMs: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  const stats: HttpSinkStats = sink.stats();
  const r = await receiver.stats();
  receiver.stop();
  fs.rmSync(spoolDir, { recursive: true, force: true });
  if (r.unique !== EVENTS) throw new Error(`${label}: the receiver got ${r.unique} of ${EVENTS} events`);
  const rate = EVENTS / seconds;
  if (quiet) return rate;
  console.log(
    `${label.padEnd(28)} ${Math.round(rate).toLocaleString('en').padStart(8)} events/s delivered  ` +
      `(${EVENTS} events in ${seconds.toFixed(2)} s; all spooled after ${((accepted - started) / 1000).toFixed(2)} s; ` +
      `${r.requests} requests, ${stats.retried} events retried, ${r.received - r.unique} duplicates)`,
  );
  return rate;
}

console.log(`HTTP sink delivery, ${EVENTS} events, default options (batches of 500, 4 requests in flight, fsync'ed spool), node ${process.version}, ${os.cpus().length} CPUs`);
await run('warm-up', 0, 10_000, true); // JIT, connection pool, page cache
const ok = await run('always accepts', 0);
const flaky = await run('1 request in 5 fails (503)', 5);
console.log(`ratio flaky / healthy: ${(flaky / ok).toFixed(2)}`);
