/**
 * Delivery benchmark (not a test): events per second the HTTP sink (the built dist) delivers to a
 * local receiver that always accepts, against a baseline: a trivial client without durability
 * that posts the same events, serialized the same way, as JSON arrays of about 1 MB, one request
 * at a time. Several rounds, the two interleaved in a rotating order; the ratio sink / baseline is
 * taken within each round and reported as min / median / max. Then once against a receiver that
 * fails one request in five with 503. The receiver runs in its own process, so that it does not
 * share the sink's event loop.
 *
 *   npm run bench:delivery -w @regtrail/core   (BENCH_DELIVERY_EVENTS, else BENCH_EVENTS, 50,000; BENCH_DELIVERY_ROUNDS 3)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHttpSink, type ActivityEvent, type HttpSinkStats } from '../dist/index.js';
import { testEvent } from '../test/events.js';

const EVENTS = Number(process.env.BENCH_DELIVERY_EVENTS ?? process.env.BENCH_EVENTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_DELIVERY_ROUNDS ?? 3);
const BATCH_BYTES = 1024 * 1024;
// Writes in flight, as the CLI makes them (its write window, packages/cli/src/delivery/pipelined.ts).
const IN_FLIGHT_WRITES = Number(process.env.BENCH_IN_FLIGHT ?? 1024);

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

/** The baseline: the same events as JSON arrays of about 1 MB, posted one after the other, nothing written to disk. */
async function baseline(events = EVENTS): Promise<number> {
  const receiver = await startReceiver(0);
  const url = `http://127.0.0.1:${receiver.port}/us-south/v1/events`;
  const started = performance.now();
  let batch: string[] = [];
  let bytes = 0;
  const post = async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `[${batch.join(',')}]` });
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`baseline: the receiver answered ${res.status}`);
    batch = [];
    bytes = 0;
  };
  for (let i = 0; i < events; i++) {
    const line = JSON.stringify(event(i));
    batch.push(line);
    bytes += line.length + 1;
    if (bytes >= BATCH_BYTES) await post();
  }
  if (batch.length) await post();
  const seconds = (performance.now() - started) / 1000;
  const r = await receiver.stats();
  receiver.stop();
  if (r.unique !== events) throw new Error(`baseline: the receiver got ${r.unique} of ${events} events`);
  return events / seconds;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en');

console.log(`HTTP sink delivery (dist), ${EVENTS} events, default options (batches of 500, 4 requests in flight, fsync'ed spool), ${ROUNDS} rounds, node ${process.version}, ${os.cpus().length} CPUs`);
await run('warm-up', 0, 10_000, true); // JIT, connection pool, page cache
await baseline(10_000);
const sinkRates: number[] = [];
const baseRates: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let sinkRate = 0;
  let baseRate = 0;
  for (const which of r % 2 === 0 ? ['sink', 'baseline'] : ['baseline', 'sink']) {
    if (which === 'sink') sinkRate = await run(`round ${r + 1}: always accepts`, 0);
    else baseRate = await baseline();
  }
  console.log(`round ${r + 1}: baseline (1 MB JSON arrays, no spool)  ${fmt(baseRate).padStart(8)} events/s`);
  sinkRates.push(sinkRate);
  baseRates.push(baseRate);
  ratios.push(sinkRate / baseRate);
}
console.log(`sink ${fmt(median(sinkRates))} events/s, baseline ${fmt(median(baseRates))} events/s (medians)`);
console.log(`sink / baseline, same round: min ${Math.min(...ratios).toFixed(2)}  median ${median(ratios).toFixed(2)}  max ${Math.max(...ratios).toFixed(2)}   (target >= 0.5)`);
const flaky = await run('1 request in 5 fails (503)', 5);
console.log(`ratio flaky / healthy (median): ${(flaky / median(sinkRates)).toFixed(2)}`);
