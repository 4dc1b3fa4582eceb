/**
 * `npm run bench`: throughput of the reference emitter against a floor and against pino, and of
 * `regtrail lint` against plain JSON parsing. Not a test; prints figures and ratios.
 *
 *   (a) floor:   JSON.stringify of a prepared event + buffered writes to a file
 *   (b) pino:    logger.info(event) to pino.destination({ sync: false })
 *   (c) emitter: emitter.emit(...) with validation on, to the file sink
 *   lint:        lintStream over an NDJSON file, against reading it the same way + JSON.parse per line
 *
 * Each of (a), (b) and (c) runs for each scenario (see SCENARIOS). All three write to files in one
 * temporary directory (BENCH_DIR, or the system's) and fsync them at the end. BENCH_EVENTS,
 * BENCH_ROUNDS and BENCH_LINT_EVENTS set the sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { once } from 'node:events';
import pino from 'pino';
import { createEmitter, fileSink, lintStream, memorySink, simulate, type ActivityEvent, type EmitInput } from '../dist/index.js';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const LINT_EVENTS = Number(process.env.BENCH_LINT_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'regtrail-bench-'));
const fileFor = (name: string) => path.join(dir, `${name}.ndjson`);

const ACCOUNT = '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a';
const DIGEST = `sha256:${'3f'.repeat(32)}`;

interface Scenario {
  name: string;
  action: 'image.pull' | 'image.push';
  /** The emitter's input for event i: a new object each time, as a service builds it per request. */
  input: (i: number) => EmitInput<string>;
  /** How many different events there are (the floor and pino cycle through them prepared). */
  distinct: number;
  /** The targets are for one prepared event; other scenarios are measured for information. */
  targeted: boolean;
}

/** A service with many images and callers: what the emitter's caches see in production. */
const IMAGES = 1000;
const CALLERS = 100;
const images = Array.from({ length: IMAGES }, (_, i) => ({ reference: `us.icr.io/team-${i % 37}/app-${i}:1.${i % 9}`, digest: `sha256:${i.toString(16).padStart(8, '0').repeat(8)}` }));
const callers = Array.from({ length: CALLERS }, (_, i) => ({ id: `iam-ServiceId-${i}`, name: `puller-${i}`, ip: `198.51.100.${i + 1}` }));

/**
 * Three kinds of event: a pull as most registry events are (no request data), a push with request
 * data to redact (both the same request again and again: the "prepared event"), and pulls
 * of 1,000 images by 100 callers in a scattered order, each with its own correlation id.
 */
const SCENARIOS: Scenario[] = [
  {
    name: 'image.pull, no requestData',
    action: 'image.pull',
    distinct: 1,
    targeted: true,
    input: () => ({
      initiator: { id: 'iam-ServiceId-5a6b7c8d', name: 'k8s-image-puller', ip: '198.51.100.23' },
      target: { type: 'image', reference: 'us.icr.io/team/app:1.4.2', digest: DIGEST },
      correlationId: 'c0ffee00-0000-4000-8000-000000000002',
    }),
  },
  {
    name: 'image.push with requestData (one secret header)',
    action: 'image.push',
    distinct: 1,
    targeted: true,
    input: () => ({
      initiator: { id: 'IBMid-310000ABCD', name: 'dev@example.com', ip: '203.0.113.7' },
      target: { type: 'image', reference: 'us.icr.io/team/app:1.4.2', digest: DIGEST },
      requestData: { headers: { 'User-Agent': 'docker/27.1 go/go1.22', 'X-Auth-Token': 'secret' }, layers: 7 },
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    }),
  },
  {
    name: `image.pull of ${IMAGES.toLocaleString('en-US')} images by ${CALLERS} callers, scattered`,
    action: 'image.pull',
    distinct: IMAGES,
    targeted: false,
    input: (i) => {
      const image = images[(i * 7919) % IMAGES]!;
      return {
        initiator: { ...callers[i % CALLERS]! },
        target: { type: 'image', reference: image.reference, digest: image.digest },
        correlationId: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
      };
    },
  },
];

let scenario: Scenario = SCENARIOS[0]!;
/** The events the floor and pino write, one per distinct input, built by the emitter beforehand. */
let prepared: ActivityEvent[] = [];

async function once1(fn: () => Promise<void> | void): Promise<number> {
  // Start each measurement with a clean heap (pino's async destination leaves a lot behind).
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function floor(): void {
  const file = fileFor('floor');
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, 'a');
  let chunks: string[] = [];
  let pending = 0;
  for (let i = 0; i < N; i++) {
    const line = `${JSON.stringify(prepared[i % prepared.length])}\n`;
    chunks.push(line);
    pending += line.length;
    if (pending >= 65536) {
      fs.writeSync(fd, chunks.join(''));
      chunks = [];
      pending = 0;
    }
  }
  if (chunks.length) fs.writeSync(fd, chunks.join(''));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}

async function withPino(): Promise<void> {
  const file = fileFor('pino');
  fs.rmSync(file, { force: true });
  const dest = pino.destination({ dest: file, sync: false });
  await once(dest, 'ready');
  const logger = pino(dest);
  for (let i = 0; i < N; i++) logger.info(prepared[i % prepared.length]);
  dest.flushSync();
  // Like the floor and the file sink on close, end with the file on disk (fsync), so that all
  // three pay for durability alike.
  fs.fsyncSync((dest as unknown as { fd: number }).fd);
  dest.end();
  await once(dest, 'finish');
}

async function withEmitter(): Promise<void> {
  const file = fileFor('emitter');
  fs.rmSync(file, { force: true });
  const sink = fileSink(file);
  const emitter = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink, validate: true });
  const { action, input } = scenario;
  for (let i = 0; i < N; i++) await emitter.emit(action, input(i) as never);
  await emitter.close();
}

async function plainParse(file: string): Promise<number> {
  // Reads the file exactly as lint does (chunks, split on newlines) and only parses each line.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let count = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      const line = text.slice(start, nl);
      if (line.trim() !== '') {
        JSON.parse(line);
        count++;
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== '') {
    JSON.parse(rest);
    count++;
  }
  return count;
}

function inMemoryParse(file: string): number {
  let count = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line !== '') (JSON.parse(line), count++);
  return count;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main() {
  console.log(`regtrail bench: Node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, ${N.toLocaleString("en-US")} events per run, best of ${ROUNDS} interleaved rounds, files in ${dir}`);
  for (const current of SCENARIOS) {
    scenario = current;
    const builder = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink: memorySink() });
    prepared = Array.from({ length: current.distinct }, (_, i) => builder.build(current.action, current.input(i) as never));
    // Warm up every path once.
    await withEmitter();
    await withPino();
    floor();
    // Interleaved rounds, best of each: a busy machine slows every contender alike.
    let tA = Infinity;
    let tB = Infinity;
    let tC = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      tA = Math.min(tA, await once1(floor));
      tB = Math.min(tB, await once1(withPino));
      tC = Math.min(tC, await once1(withEmitter));
    }
    const a = N / tA;
    const b = N / tB;
    const c = N / tC;
    console.log(`\nemit throughput, ${current.name}: ${Buffer.byteLength(JSON.stringify(prepared[0]))} bytes of JSON (events/s)`);
    console.log(`  (a) JSON.stringify + buffered file write   ${fmt(a).padStart(12)}`);
    console.log(`  (b) pino, destination sync:false           ${fmt(b).padStart(12)}`);
    console.log(`  (c) emitter.emit, validation on, file sink ${fmt(c).padStart(12)}`);
    const why = (target: string) => (current.targeted ? `(target ${target})` : `(for information; the target ${target} is for a prepared event)`);
    console.log(`  (c)/(b) = ${ratio(c, b)}  ${why('>= 2')}`);
    console.log(`  (c)/(a) = ${ratio(c, a)}  ${why('>= 0.5')}`);
  }
  console.log('');

  const lintFile = fileFor('lint');
  fs.rmSync(lintFile, { force: true });
  const sink = fileSink(lintFile);
  await simulate({ count: LINT_EVENTS, sink, seed: 'bench', rate: 50 });
  await sink.close();
  const bytes = fs.statSync(lintFile).size;
  const mb = bytes / 1e6;
  let linted = 0;
  let parsed = 0;
  let invalid = 0;
  let tLint = Infinity;
  let tParse = Infinity;
  let tMem = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    tLint = Math.min(tLint, await once1(async () => {
      const s = await lintStream(fs.createReadStream(lintFile, { highWaterMark: 256 * 1024 }), () => {});
      linted = s.events;
      invalid = s.invalid;
    }));
    tParse = Math.min(tParse, await once1(async () => {
      parsed = await plainParse(lintFile);
    }));
    tMem = Math.min(tMem, await once1(() => void inMemoryParse(lintFile)));
  }
  console.log(`lint throughput (${LINT_EVENTS.toLocaleString('en-US')} simulated events, ${mb.toFixed(1)} MB)`);
  console.log(`  lint (stream, parse + validate)            ${(mb / tLint).toFixed(1).padStart(8)} MB/s  ${fmt(linted / tLint)} events/s, ${invalid} invalid`);
  console.log(`  plain JSON.parse per line (same reading)   ${(mb / tParse).toFixed(1).padStart(8)} MB/s  ${fmt(parsed / tParse)} lines/s`);
  console.log(`  plain JSON.parse per line (file in memory) ${(mb / tMem).toFixed(1).padStart(8)} MB/s`);
  console.log(`  lint / plain parse = ${ratio(tParse, tLint)}  (target >= 0.6); against the in-memory floor ${ratio(tMem, tLint)}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
