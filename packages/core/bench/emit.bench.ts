/**
 * `npm run bench`: throughput of the reference emitter against a floor and against pino, and of
 * `regtrail lint` against plain JSON parsing. Not a test; prints figures and ratios.
 *
 *   (a) floor:   a fresh event object per event, JSON.stringify, buffered writes to a file
 *   (b) pino:    the same fresh object per event, logger.info(event) to pino.destination({ sync: false })
 *   (c) emitter: emitter.emit(action, input) with a fresh input per event, validation on, file sink
 *   lint:        lintStream over an NDJSON file, against the faster of two plain JSON.parse loops
 *
 * Honest by construction:
 * - The headline scenario is what a registry sends: simulate's action mix over 1,000 repositories
 *   and 100 callers, and a new digest for every event (as for every push or pull of a new image).
 *   Its inputs come from a pool of POOL requests, but the digest of event i is the i-th of N
 *   distinct digests, so no cache or memo of the emitter sees an image with the same digest
 *   twice. Other scenarios (fixed digests; one event repeated, where every memo hits) are
 *   labelled as what they are.
 * - The floor and pino do not log one prepared object again and again: for every event they
 *   build a fresh object equal to the emitter's (the digest strings concatenated in, a new
 *   randomUUID id, as the emitter makes one), and pino writes the same bytes but for its level key
 *   (`base: undefined`, no timestamp; it cannot leave out `"level":30,`). The files are compared
 *   by size after every round.
 * - The emitter's fresh input for each event is an object literal, as a service's call site makes
 *   one: one literal for each shape of simulate's requests (copierFor), so the emitter still sees
 *   inputs of every shape, but the harness does not charge it for a slow way of copying them.
 * - Contenders run interleaved in each round, in a rotating order; ratios are taken within a
 *   round and reported as min / median / max over the rounds (a busy machine slows a round, not
 *   one contender). The targets are on CPU time (process.cpuUsage: every thread of the process,
 *   pino's writes in libuv's pool included), which a machine shared with other work disturbs far
 *   less than wall time; wall-time ratios (each run ends with an fsync) are printed too.
 * - Lint is timed in CPU time (process.cpuUsage) against the faster of a streaming and an
 *   in-memory plain parse (the one with the lower median; the faster of the two in each round, a
 *   stricter and noisier baseline, is printed too), in the same round, all three in a fresh
 *   process of their own, as `regtrail lint` runs: in this process the validator's checks were
 *   first compiled for the emitter's objects (simulate and the emit scenarios validate what they
 *   emit, which JSON.parse builds with other hidden classes), and the heap holds what the
 *   scenarios left, which slowed lint more than the plain parses. Its memory (peak RSS and heap,
 *   in a fresh process) is printed for the simulated file and for 4x its lines: it should not
 *   grow with the file.
 *
 * Environment: BENCH_EVENTS (events per run, 200,000), BENCH_ROUNDS (7), BENCH_POOL (distinct
 * requests of the headline, 50,000), BENCH_LINT_EVENTS (100,000), BENCH_DIR (where files go),
 * BENCH_ONLY (a comma-separated list of `fresh`, `fixed`, `repeated`, `lint`), BENCH_PROFILE (see below).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createEmitter, fileSink, lintStream, memorySink, seededRandom, simulate, type ActivityEvent, type EmitInput } from '../dist/index.js';
import { simulation } from '../dist/simulate/simulate.js';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const LINT_EVENTS = Number(process.env.BENCH_LINT_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const POOL = Math.min(N, Number(process.env.BENCH_POOL ?? 50_000));
const ONLY = new Set((process.env.BENCH_ONLY ?? 'fresh,fixed,repeated,lint').split(','));
/** For profiling one contender (node --cpu-prof): BENCH_PROFILE=emitter, floor or pino runs only that one, ROUNDS times, and prints nothing else. */
const PROFILE = process.env.BENCH_PROFILE;
/** Set only in the process lintBench starts to time lint: the simulated file. */
const LINT_FILE = process.env.BENCH_LINT_FILE;
const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'regtrail-bench-'));
const fileFor = (name: string) => path.join(dir, `${name}.ndjson`);

const ACCOUNT = '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a';

/** One prepared event for the floor and pino, with where its digest sits in its strings. */
interface Prepared {
  event: ActivityEvent;
  /** [before, after] the digest in target.id, target.name and message; undefined where there is none. */
  id?: [string, string];
  name?: [string, string];
  message?: [string, string];
}

interface Scenario {
  key: string;
  name: string;
  /** The targets apply to the headline only. */
  headline: boolean;
  /** How many distinct requests there are (cycled through). */
  distinct: number;
  action: (i: number) => string;
  /** The emitter's input for event i: a new object each time, as a service builds one per request. */
  input: (i: number) => EmitInput<string>;
  /** The event the floor and pino write for event i: a new object each time, equal to the emitter's. */
  event: (i: number) => ActivityEvent;
}

const split = (s: string, digest: string | undefined): [string, string] | undefined => {
  const at = digest === undefined ? -1 : s.indexOf(digest);
  return at < 0 ? undefined : [s.slice(0, at), s.slice(at + digest!.length)];
};

/** A fresh copy of a prepared event with digest `d` and id `id`, built field by field in the event's key order. */
function freshEvent(p: Prepared, d: string, id: string): ActivityEvent {
  const e = p.event;
  const ini = e.initiator;
  const initiator = { ...ini, credential: { ...ini.credential }, host: { ...ini.host } };
  const target = { ...e.target };
  if (p.id) target.id = p.id[0] + d + p.id[1];
  if (p.name) target.name = p.name[0] + d + p.name[1];
  const out: ActivityEvent = {
    action: e.action,
    initiator,
    target,
    outcome: e.outcome,
    reason: { ...e.reason },
    severity: e.severity,
    eventTime: e.eventTime,
    message: p.message ? p.message[0] + d + p.message[1] : e.message,
    logSourceCRN: e.logSourceCRN,
    saveServiceCopy: e.saveServiceCopy,
    observer: { name: e.observer.name },
    dataEvent: e.dataEvent,
  };
  // The service's own data objects, as the emitter's input passes them (the emitter copies them to redact).
  if (e.requestData !== undefined) out.requestData = e.requestData;
  if (e.responseData !== undefined) out.responseData = e.responseData;
  out.id = id;
  if (e.correlationId !== undefined) out.correlationId = e.correlationId;
  return out;
}

/**
 * A copy of an event the emitter built, for the floor and pino to copy from. Not the event itself:
 * V8 learns per allocation site how long its objects live, and tens of thousands of the emitter's
 * events kept for the whole run would teach it to allocate the emitter's events straight into the
 * old generation (pretenuring), where each one, dead or not, keeps its young parts alive until the
 * next full GC. That is a cost of this bench's set-up, not of emitting: the copies are the
 * floor's own objects.
 */
const detached = (event: ActivityEvent): ActivityEvent => structuredClone(event);

/** N distinct digests, made before any timing. */
function digests(count: number): string[] {
  const random = seededRandom('bench-digests');
  return Array.from({ length: count }, () => `sha256:${random.hex(64)}`);
}

type Target = EmitInput<string>['target'];
type Copy = (x: EmitInput<string>, initiator: EmitInput<string>['initiator'], target: Target) => EmitInput<string>;

/**
 * Copies of inputs with a fresh initiator and target, made as a service makes its inputs: an
 * object literal at a call site, one call site for each set of keys (simulate's requests have
 * ten), so the emitter still sees inputs of every shape. Not `{ ...x, initiator, target }`: a
 * property defined after a spread of objects of many shapes misses V8's inline cache on every
 * call and is defined by the runtime (Runtime_DefineNamedOwnIC_Miss in cachegrind). That copy
 * cost the emitter's runs about 4,400 instructions per event, a cost of this harness that a
 * service's literal never pays and the floor's copies, each of one shape, do not pay either.
 */
const copiers = new Map<string, Copy>();
function copierFor(x: EmitInput<string>): Copy {
  const keys = Object.keys(x);
  const shape = keys.join();
  let copy = copiers.get(shape);
  if (copy === undefined) {
    const fields = keys.map((k) => (k === 'initiator' ? 'initiator: i' : k === 'target' ? 'target: t' : `${JSON.stringify(k)}: x[${JSON.stringify(k)}]`));
    copy = new Function('x', 'i', 't', `return { ${fields.join(', ')} };`) as Copy;
    copiers.set(shape, copy);
  }
  return copy;
}

/** The headline: simulate's requests over 1,000 repositories and 100 callers, a new digest per event. */
function freshScenario(): Scenario {
  const sim = simulation({ seed: 'bench', start: new Date(), rate: 50, world: { repositories: 1000, callers: 100 } });
  const requests = Array.from({ length: POOL }, () => sim.next());
  const copies = requests.map((r) => copierFor(r.input));
  const builder = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink: memorySink() });
  const D = digests(N);
  const prepared: Prepared[] = [];
  /** For image targets: the reference without its digest (by-digest references), and whether a digest is given. */
  const images: ({ base: string | undefined; given: boolean } | undefined)[] = [];
  for (const r of requests) {
    const t = r.input.target!;
    let poolDigest: string | undefined;
    if (t.type === 'image') {
      const at = t.reference.indexOf('@');
      poolDigest = at >= 0 ? t.reference.slice(at + 1) : t.digest;
      // One literal, so that every entry has one hidden class (the harness reads them for every event).
      images.push({ base: at >= 0 ? t.reference.slice(0, at + 1) : undefined, given: t.digest !== undefined });
    } else images.push(undefined);
    const event = detached(builder.build(r.action.id as never, r.input as never));
    const p: Prepared = { event };
    const id = split(event.target.id, poolDigest);
    const name = split(event.target.name, poolDigest);
    const message = split(event.message, poolDigest);
    if (id) p.id = id;
    if (name) p.name = name;
    if (message) p.message = message;
    prepared.push(p);
  }
  return {
    key: 'fresh',
    name: `simulate's action mix, 1,000 repositories x 100 callers, a new digest per event`,
    headline: true,
    distinct: N,
    action: (i) => requests[i % POOL]!.action.id,
    input: (i) => {
      const k = i % POOL;
      const x = requests[k]!.input;
      const image = images[k];
      const t = x.target!;
      const target =
        image === undefined
          ? { ...t }
          : image.base !== undefined
            ? { type: 'image' as const, reference: image.base + D[i]! }
            : image.given
              ? { type: 'image' as const, reference: (t as { reference: string }).reference, digest: D[i]! }
              : { type: 'image' as const, reference: (t as { reference: string }).reference };
      return copies[k]!(x, { ...x.initiator! }, target as Target);
    },
    event: (i) => freshEvent(prepared[i % POOL]!, D[i]!, randomUUID()),
  };
}

/** Pulls of 1,000 images by 100 callers, each image always with the same digest: image caches hit. */
function fixedScenario(): Scenario {
  const IMAGES = 1000;
  const CALLERS = 100;
  const images = Array.from({ length: IMAGES }, (_, i) => ({ reference: `us.icr.io/team-${i % 37}/app-${i}:1.${i % 9}`, digest: `sha256:${i.toString(16).padStart(8, '0').repeat(8)}` }));
  const callers = Array.from({ length: CALLERS }, (_, i) => ({ id: `iam-ServiceId-${i}`, name: `puller-${i}`, ip: `198.51.100.${i + 1}` }));
  const input = (i: number): EmitInput<string> => {
    const image = images[(i * 7919) % IMAGES]!;
    return {
      initiator: { ...callers[i % CALLERS]! },
      target: { type: 'image', reference: image.reference, digest: image.digest },
      correlationId: `c0ffee00-0000-4000-8000-${String(i % 100_000).padStart(12, '0')}`,
    };
  };
  const builder = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink: memorySink() });
  const DISTINCT = 100_000;
  const prepared = Array.from({ length: Math.min(N, DISTINCT) }, (_, i) => ({ event: detached(builder.build('image.pull', input(i) as never)) }));
  return {
    key: 'fixed',
    name: `image.pull of 1,000 images by 100 callers, each image with a fixed digest (for information)`,
    headline: false,
    distinct: IMAGES,
    action: () => 'image.pull',
    input,
    event: (i) => freshEvent(prepared[i % prepared.length]!, '', randomUUID()),
  };
}

/** One image.pull again and again: every memo and cache hits. The best case, not the target. */
function repeatedScenario(): Scenario {
  const input = (): EmitInput<string> => ({
    initiator: { id: 'iam-ServiceId-5a6b7c8d', name: 'k8s-image-puller', ip: '198.51.100.23' },
    target: { type: 'image', reference: 'us.icr.io/team/app:1.4.2', digest: `sha256:${'3f'.repeat(32)}` },
    correlationId: 'c0ffee00-0000-4000-8000-000000000002',
  });
  const builder = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink: memorySink() });
  const prepared = { event: detached(builder.build('image.pull', input() as never)) };
  return {
    key: 'repeated',
    name: 'one image.pull repeated (best case: every memo hits; for information)',
    headline: false,
    distinct: 1,
    action: () => 'image.pull',
    input,
    event: () => freshEvent(prepared, '', randomUUID()),
  };
}

function floor(s: Scenario): void {
  const file = fileFor('floor');
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, 'a');
  let chunks: string[] = [];
  let pending = 0;
  for (let i = 0; i < N; i++) {
    const line = `${JSON.stringify(s.event(i))}\n`;
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

async function withPino(s: Scenario): Promise<void> {
  const file = fileFor('pino');
  fs.rmSync(file, { force: true });
  const dest = pino.destination({ dest: file, sync: false });
  await once(dest, 'ready');
  const logger = pino({ base: undefined, timestamp: false }, dest);
  for (let i = 0; i < N; i++) logger.info(s.event(i));
  dest.flushSync();
  // Like the floor and the file sink on close, end with the file on disk (fsync), so that all
  // three pay for durability alike.
  fs.fsyncSync((dest as unknown as { fd: number }).fd);
  dest.end();
  await once(dest, 'finish');
}

async function withEmitter(s: Scenario): Promise<void> {
  const file = fileFor('emitter');
  fs.rmSync(file, { force: true });
  const sink = fileSink(file);
  const emitter = createEmitter({ accountId: ACCOUNT, region: 'us-south', sink, validate: true, warn: () => {} });
  for (let i = 0; i < N; i++) await emitter.emit(s.action(i) as never, s.input(i) as never);
  await emitter.close();
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Times {
  /** Seconds of CPU time of the process (every thread: pino's writes in libuv's pool, the GC's). */
  cpu: number;
  /** Seconds of wall-clock time, fsync included. */
  wall: number;
}

async function timed(fn: () => Promise<void> | void): Promise<Times> {
  // Start each measurement with a clean heap (pino's async destination leaves a lot behind).
  gc();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall };
}

async function cpu(fn: () => Promise<unknown> | unknown): Promise<number> {
  gc();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** Runs the contenders of one round in an order that rotates with the round. */
async function rotate<K extends string, T>(round: number, contenders: Record<K, () => Promise<T>>): Promise<Record<K, T>> {
  const keys = Object.keys(contenders) as K[];
  const out = {} as Record<K, T>;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[(round + j) % keys.length]!;
    out[key] = await contenders[key]();
  }
  return out;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[]) => `min ${Math.min(...xs).toFixed(2)}  median ${median(xs).toFixed(2)}  max ${Math.max(...xs).toFixed(2)}`;

async function emitScenario(s: Scenario): Promise<void> {
  if (PROFILE !== undefined) {
    const run = { emitter: () => withEmitter(s), floor: () => floor(s), pino: () => withPino(s) }[PROFILE];
    if (run === undefined) throw new Error(`BENCH_PROFILE must be emitter, floor or pino, not ${PROFILE}`);
    for (let r = 0; r < ROUNDS; r++) console.log(`${PROFILE}, ${s.key}: ${fmt(N / (await timed(run)).cpu)} events per CPU second`);
    return;
  }
  // Warm up every path once.
  await withEmitter(s);
  await withPino(s);
  floor(s);
  const rates = { floor: [] as number[], pino: [] as number[], emitter: [] as number[] };
  const ratios = { pino: [] as number[], floor: [] as number[], pinoWall: [] as number[], floorWall: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const t = await rotate(r, {
      floor: () => timed(() => floor(s)),
      pino: () => timed(() => withPino(s)),
      emitter: () => timed(() => withEmitter(s)),
    });
    const sizes = { floor: fs.statSync(fileFor('floor')).size, pino: fs.statSync(fileFor('pino')).size, emitter: fs.statSync(fileFor('emitter')).size };
    // The same bytes: pino's only differ by its level key.
    if (sizes.floor !== sizes.emitter || sizes.pino !== sizes.floor + N * '"level":30,'.length) {
      throw new Error(`${s.name}: the contenders wrote different events (bytes: floor ${sizes.floor}, pino ${sizes.pino}, emitter ${sizes.emitter})`);
    }
    rates.floor.push(N / t.floor.cpu);
    rates.pino.push(N / t.pino.cpu);
    rates.emitter.push(N / t.emitter.cpu);
    ratios.pino.push(t.pino.cpu / t.emitter.cpu);
    ratios.floor.push(t.floor.cpu / t.emitter.cpu);
    ratios.pinoWall.push(t.pino.wall / t.emitter.wall);
    ratios.floorWall.push(t.floor.wall / t.emitter.wall);
  }
  const bytes = fs.statSync(fileFor('floor')).size / N;
  console.log(`\nemit, ${s.headline ? 'HEADLINE: ' : ''}${s.name}; ${Math.round(bytes)} bytes of JSON per event on average (events per CPU second, median over ${ROUNDS} rounds)`);
  console.log(`  (a) fresh object + JSON.stringify + buffered file write   ${fmt(median(rates.floor)).padStart(10)}`);
  console.log(`  (b) fresh object + pino, destination sync:false           ${fmt(median(rates.pino)).padStart(10)}`);
  console.log(`  (c) emitter.emit, fresh input, validation on, file sink   ${fmt(median(rates.emitter)).padStart(10)}`);
  console.log(`  (c)/(b) same round, CPU time: ${spread(ratios.pino)}${s.headline ? '   (target >= 2)' : ''}`);
  console.log(`  (c)/(a) same round, CPU time: ${spread(ratios.floor)}${s.headline ? '   (target >= 0.8)' : ''}`);
  console.log(`  (c)/(b) same round, wall time (fsync included): ${spread(ratios.pinoWall)}`);
  console.log(`  (c)/(a) same round, wall time (fsync included): ${spread(ratios.floorWall)}`);
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

interface LintRounds {
  summary: { events: number; invalid: number };
  t: { lint: number[]; stream: number[]; memory: number[] };
}

/** The timed rounds of lint and the two plain parses over one file (run in a process of their own, see lintBench). */
async function lintRounds(lintFile: string): Promise<LintRounds> {
  let summary = { events: 0, invalid: 0 };
  const lint = async () => {
    const s = await lintStream(fs.createReadStream(lintFile, { highWaterMark: 256 * 1024 }), () => {});
    summary = s;
  };
  await lint();
  await plainParse(lintFile);
  inMemoryParse(lintFile);
  const t = { lint: [] as number[], stream: [] as number[], memory: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const round = await rotate(r, {
      lint: () => cpu(lint),
      stream: () => cpu(() => plainParse(lintFile)),
      memory: () => cpu(() => inMemoryParse(lintFile)),
    });
    t.lint.push(round.lint);
    t.stream.push(round.stream);
    t.memory.push(round.memory);
  }
  return { summary: { events: summary.events, invalid: summary.invalid }, t };
}

async function lintBench(): Promise<void> {
  const lintFile = fileFor('lint');
  fs.rmSync(lintFile, { force: true });
  const sink = fileSink(lintFile);
  await simulate({ count: LINT_EVENTS, sink, seed: 'bench', rate: 50 });
  await sink.close();
  const mb = fs.statSync(lintFile).size / 1e6;
  // The rounds run in a fresh process: this one compiled the validator for the emitter's objects.
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_LINT_FILE: lintFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the lint rounds failed (exit ${String(child.status ?? child.signal)})`);
  const { summary, t } = JSON.parse(child.stdout) as LintRounds;
  // The baseline is the plain parse that is faster over the rounds (by its median), timed in the
  // same round as lint. The faster of the two in each round is printed too: on a noisy machine it
  // picks whichever was lucky in that round, which puts the baseline below either parse's speed.
  const faster = median(t.stream) <= median(t.memory) ? 'stream' : 'memory';
  const ratios = t.lint.map((lint, r) => t[faster][r]! / lint);
  const luckier = t.lint.map((lint, r) => Math.min(t.stream[r]!, t.memory[r]!) / lint);
  if (summary.invalid !== 0) throw new Error(`lint found ${summary.invalid} invalid events in the simulated file`);
  console.log(`\nlint, ${LINT_EVENTS.toLocaleString('en-US')} simulated events, ${mb.toFixed(1)} MB (CPU time in a fresh process, median over ${ROUNDS} rounds)`);
  console.log(`  lint (stream, parse + validate)             ${(mb / median(t.lint)).toFixed(1).padStart(8)} MB/s  ${fmt(summary.events / median(t.lint))} events/s`);
  console.log(`  plain JSON.parse per line, streamed          ${(mb / median(t.stream)).toFixed(1).padStart(8)} MB/s`);
  console.log(`  plain JSON.parse per line, file in memory    ${(mb / median(t.memory)).toFixed(1).padStart(8)} MB/s`);
  console.log(`  lint / the faster plain parse (${faster === 'stream' ? 'streamed' : 'in memory'}), same round: ${spread(ratios)}   (target >= 0.8)`);
  console.log(`  lint / the faster plain parse of each round: ${spread(luckier)}`);
  lintMemory(lintFile);
}

/**
 * Whether lint's memory stays flat as the file grows: lint in a fresh process (so that the
 * process's peak is lint's) over the simulated file and over four copies of it, one after the
 * other (4x the lines, the same variety). Prints the peak RSS (getrusage's maxrss) and the peak
 * heap in use (sampled every 1,000 lines) of each. Not a timed figure.
 */
function lintMemory(file: string): void {
  const big = fileFor('lint-4x');
  fs.rmSync(big, { force: true });
  for (let i = 0; i < 4; i++) fs.appendFileSync(big, fs.readFileSync(file));
  const script = `
    import fs from 'node:fs';
    const { lintStream } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
    let heap = 0;
    const sample = () => { heap = Math.max(heap, process.memoryUsage().heapUsed); };
    const s = await lintStream(fs.createReadStream(process.argv[1], { highWaterMark: 256 * 1024 }), () => {}, {
      onValid: (_event, line) => { if (line % 1000 === 0) sample(); },
    });
    sample();
    process.stdout.write(JSON.stringify({ events: s.events, invalid: s.invalid, rss: process.resourceUsage().maxRSS * 1024, heap }));`;
  const peaks = [file, big].map((f) => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, f], { cwd: path.dirname(fileURLToPath(import.meta.url)), encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`lint memory run failed: ${child.stderr}`);
    return { ...(JSON.parse(child.stdout) as { events: number; invalid: number; rss: number; heap: number }), mb: fs.statSync(f).size / 1e6 };
  });
  fs.rmSync(big, { force: true });
  const [one, four] = peaks as [(typeof peaks)[0], (typeof peaks)[0]];
  if (one.invalid !== 0 || four.invalid !== 0 || four.events !== 4 * one.events) throw new Error(`lint memory runs: unexpected counts ${JSON.stringify(peaks)}`);
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  console.log(`  memory, lint in a fresh process (peak RSS / peak heap in use):`);
  for (const p of peaks) console.log(`    ${fmt(p.events).padStart(9)} lines, ${p.mb.toFixed(0).padStart(4)} MB   ${mib(p.rss).padStart(10)} / ${mib(p.heap).padStart(9)}`);
  console.log(`    4x the lines: RSS x${(four.rss / one.rss).toFixed(2)}, heap x${(four.heap / one.heap).toFixed(2)}   (flat: about x1)`);
}

async function main() {
  if (LINT_FILE !== undefined) {
    process.stdout.write(JSON.stringify(await lintRounds(LINT_FILE)));
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  console.log(`regtrail bench: Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${N.toLocaleString('en-US')} events per run, ${ROUNDS} rounds, files in ${dir}`);
  const scenarios = [
    ['fresh', freshScenario],
    ['fixed', fixedScenario],
    ['repeated', repeatedScenario],
  ] as const;
  for (const [key, make] of scenarios) if (ONLY.has(key)) await emitScenario(make());
  if (ONLY.has('lint')) await lintBench();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
