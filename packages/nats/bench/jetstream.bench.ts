/**
 * JetStream benchmark (not a test), against a real nats-server -js on a loopback port:
 *
 * 1. Publish: the JetStream sink (write per event, 1,024 writes outstanding, as `simulate --sink`
 *    drives it) against a bare @nats-io/jetstream publisher loop publishing the same bytes with the
 *    same message ids and the same 1,024 publishes in flight. Target: sink ≥ 0.5× bare.
 * 2. Relay: createRelay (durable consumer → HTTP sink with its spool → ack after 2xx) against a
 *    no-durability HTTP client that posts the same events in batches of 500 per location, 2
 *    requests in flight. Target: relay ≥ 0.5× that client. A third contender bounds it: the
 *    official client alone pulling the same messages (500 per pull, 2 in flight) and
 *    acknowledging each one, with no HTTP; no relay on @nats-io/jetstream can be faster than that.
 *
 * Inputs are realistic and varied (the simulator's mix); contenders run interleaved in each round,
 * in rotating order; ratios are per round, reported as min / median / max. The relay ratio is given
 * twice: in wall time, and in this process's CPU time per event (the relay's own work, or the
 * client's; on a loaded machine, wall time mostly measures who got the CPU).
 *
 *   npm run bench -w @regtrail/nats        (BENCH_EVENTS=10000, BENCH_ROUNDS=4)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createEventLocator, memorySink, simulate, type ActivityEvent } from '@regtrail/core/emit';
import { createJetStreamSink, createRelay } from '../src/index.js';
import { startNatsServer, stopAll } from '../test/nats-server.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WINDOW = 1024;

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

async function startReceiver(): Promise<{ url: string; stop: () => void }> {
  const proc = spawn(process.execPath, ['-e', receiverSource], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => proc.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill() };
}

/** Runs `task(i)` for i in 0..n-1 with at most `window` outstanding. */
async function windowed(n: number, window: number, task: (i: number) => Promise<unknown>): Promise<void> {
  const inflight = new Set<Promise<unknown>>();
  for (let i = 0; i < n; i++) {
    const p: Promise<unknown> = task(i).finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= window) await Promise.race(inflight);
  }
  await Promise.all(inflight);
}

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const cpuRate = (n: number, used: NodeJS.CpuUsage) => Math.round(n / ((used.user + used.system) / 1e6));
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(2)} / median ${s[Math.floor(s.length / 2)]!.toFixed(2)} / max ${s.at(-1)!.toFixed(2)}`;
};

async function main(): Promise<void> {
  const server = await startNatsServer();
  const receiver = await startReceiver();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-nats-bench-'));
  try {
    const mem = memorySink();
    await simulate({ count: EVENTS, seed: 'bench', start: new Date('2025-06-01T00:00:00Z'), rate: 50, region: 'us-south', sink: mem });
    const base = mem.events;
    const locate = createEventLocator();
    const nc = await connect({ servers: server.url, noAsyncTraces: true });
    const js = jetstream(nc);
    // One stream for the bare loop; the sink creates its own (same settings) on first use.
    await (await jetstreamManager(nc)).streams.add({ name: 'BARE', subjects: ['bare.>'], duplicate_window: 120e9 });

    const publishRatios: number[] = [];
    const relayRatios: number[] = [];
    const relayCpuRatios: number[] = [];
    const consumerRatios: number[] = [];
    const consumerCpuRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh ids each round: the stream must store every message, not drop duplicates.
      const events: ActivityEvent[] = base.map((e) => ({ ...e, id: `${e.id}-r${round}` }));
      const lines = events.map((e) => ({ json: JSON.stringify(e), id: e.id!, subject: `bare.${locate(e)}` }));
      const results: Record<string, number> = {};
      const contenders: [string, () => Promise<void>][] = [
        [
          'sink',
          async () => {
            const sink = createJetStreamSink({ servers: server.url, stream: 'SINK', subjectPrefix: 'sink', log: false });
            await sink.ready;
            const t = performance.now();
            await windowed(events.length, WINDOW, (i) => sink.write(events[i]!));
            results.sink = rate(events.length, performance.now() - t);
            await sink.close();
          },
        ],
        [
          'bare',
          async () => {
            const t = performance.now();
            await windowed(lines.length, WINDOW, (i) => js.publish(lines[i]!.subject, lines[i]!.json, { msgID: lines[i]!.id }));
            results.bare = rate(lines.length, performance.now() - t);
          },
        ],
      ];
      const order = round % 2 ? contenders.reverse() : contenders;
      for (const [, run] of order) await run();
      publishRatios.push(results.sink! / results.bare!);

      // Relay round: the SINK stream now holds this round's events; a fresh consumer relays them.
      const relayContenders: [string, () => Promise<void>][] = [
        [
          'relay',
          async () => {
            const relay = createRelay({
              servers: server.url,
              stream: 'SINK',
              consumer: `bench-${round}`,
              http: { url: `${receiver.url}/{location}/v1/events`, deadLetterFile: path.join(tmp, 'dead.ndjson'), log: false },
              log: false,
            });
            await relay.ready;
            const t = performance.now();
            const c = process.cpuUsage();
            // The consumer starts at the first message: skip earlier rounds' messages by counting only this round's.
            const target = events.length * (round + 1);
            while (relay.stats().acked < target) await new Promise((r) => setTimeout(r, 5));
            results.relay = rate(target, performance.now() - t);
            results.relayCpu = cpuRate(target, process.cpuUsage(c));
            await relay.stop();
          },
        ],
        [
          'client',
          async () => {
            const byLocation = new Map<string, string[]>();
            for (const l of lines) {
              const loc = l.subject.slice(5);
              (byLocation.get(loc) ?? byLocation.set(loc, []).get(loc)!).push(l.json);
            }
            const batches: { url: string; body: string }[] = [];
            for (const [loc, jsons] of byLocation) for (let i = 0; i < jsons.length; i += 500) batches.push({ url: `${receiver.url}/${loc}/v1/events`, body: `[${jsons.slice(i, i + 500).join(',')}]` });
            const t = performance.now();
            const c = process.cpuUsage();
            // The same number of events the relay handles in this round (it relays every round's messages so far).
            for (let r = 0; r <= round; r++) {
              await windowed(batches.length, 2, async (i) => {
                const res = await fetch(batches[i]!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batches[i]!.body });
                await res.text();
              });
            }
            results.client = rate(events.length * (round + 1), performance.now() - t);
            results.clientCpu = cpuRate(events.length * (round + 1), process.cpuUsage(c));
          },
        ],
      ];
      // The bound: the official client alone, pulling the same messages (500 per pull, 2 pulls in
      // flight, as the relay) and acknowledging each, with no HTTP and no JSON. What the relay
      // spends beyond it is delivery; this part no relay on @nats-io/jetstream can avoid.
      relayContenders.push([
        'consumer',
        async () => {
          const jsm = await jetstreamManager(nc);
          await jsm.consumers.add('SINK', { durable_name: `bare-${round}`, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 10_000 });
          const consumer = await js.consumers.get('SINK', `bare-${round}`);
          const target = events.length * (round + 1);
          let acked = 0;
          const t = performance.now();
          const c = process.cpuUsage();
          const loop = async () => {
            while (acked < target) {
              const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
              for await (const m of batch) {
                m.ack();
                acked++;
              }
              await nc.flush();
            }
          };
          await Promise.all([loop(), loop()]);
          results.consumer = rate(target, performance.now() - t);
          results.consumerCpu = cpuRate(target, process.cpuUsage(c));
        },
      ]);
      const relayOrder = round % 2 ? relayContenders.reverse() : relayContenders;
      for (const [, run] of relayOrder) await run();
      relayRatios.push(results.relay! / results.client!);
      relayCpuRatios.push(results.relayCpu! / results.clientCpu!);
      consumerRatios.push(results.consumer! / results.client!);
      consumerCpuRatios.push(results.consumerCpu! / results.clientCpu!);
      console.log(
        `round ${round + 1}: sink ${results.sink} ev/s, bare ${results.bare} ev/s (${(results.sink! / results.bare!).toFixed(2)}×); ` +
          `relay ${results.relay} ev/s, no-durability client ${results.client} ev/s (${(results.relay! / results.client!).toFixed(2)}×); ` +
          `per CPU-second: relay ${results.relayCpu} ev, client ${results.clientCpu} ev (${(results.relayCpu! / results.clientCpu!).toFixed(2)}×); ` +
          `pull and ack alone ${results.consumer} ev/s, ${results.consumerCpu} ev per CPU-second`,
      );
    }
    await nc.close();
    console.log(`JetStream sink / bare @nats-io/jetstream publisher (target ≥ 0.5): ${summary(publishRatios)}`);
    console.log(`relay / no-durability HTTP client, wall time (target ≥ 0.5): ${summary(relayRatios)}`);
    console.log(`relay / no-durability HTTP client, events per CPU-second of this process: ${summary(relayCpuRatios)}`);
    console.log(`bound: pull and ack alone (@nats-io/jetstream, no HTTP) / no-durability HTTP client: wall ${summary(consumerRatios)}; per CPU-second ${summary(consumerCpuRatios)}`);
  } finally {
    receiver.stop();
    await stopAll([server]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
