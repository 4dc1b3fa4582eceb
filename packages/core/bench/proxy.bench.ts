/**
 * Audit proxy benchmark (not a test), against the real registry on this machine (Debian's
 * docker-registry), through the proxy (its own process) and directly, interleaved in the same
 * rounds:
 * - manifest GETs from 50 concurrent clients: throughput ratio proxy/direct, and the latency the
 *   proxy adds at p50 and p99;
 * - a 256 MB blob GET: throughput ratio, and how much the proxy's RSS grows while it streams.
 * Ratios are given as min / median / max over the rounds.
 *
 *   npm run bench:proxy -w @regtrail/core   (BENCH_ROUNDS=5, BENCH_SECONDS=3, BENCH_BLOB_MB=256;
 *   BENCH_PROXY_PROF=DIR writes a CPU profile of the proxy process into DIR)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BLOB_MB = Number(process.env.BENCH_BLOB_MB ?? 256);
const CLIENTS = 50;
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-proxy-bench-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function waitFor(port: number) {
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise<boolean>((r) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); r(true); }).once('error', () => r(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing on port ${port}`);
}

async function startRegistry(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  await waitFor(port);
  return { port, child };
}

async function startProxy(upstream: number): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROXY_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROXY_PROF] : []), '--import', 'tsx', path.join(here, 'proxy-child.ts')], { env: { ...process.env, UPSTREAM: `http://127.0.0.1:${upstream}`, OUT: path.join(dir, 'events.ndjson') }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
  return { port, child };
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Uploads a blob monolithically (POST, then PUT with the digest), streaming `chunks` chunks of `chunk`. */
async function upload(base: string, repo: string, chunk: Buffer, chunks: number): Promise<string> {
  const h = createHash('sha256');
  for (let i = 0; i < chunks; i++) h.update(chunk);
  const digest = `sha256:${h.digest('hex')}`;
  const start = await request(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await start.body.dump();
  const location = new URL(String(start.headers.location), base);
  location.searchParams.set('digest', digest);
  let i = 0;
  const body = new Readable({ read() { this.push(i++ < chunks ? chunk : null); } });
  const put = await request(location, { method: 'PUT', body, headers: { 'content-length': String(chunk.length * chunks), 'content-type': 'application/octet-stream' } });
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`blob upload: ${put.statusCode}`);
  return digest;
}

async function pushImages(base: string, count: number): Promise<string[]> {
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { n: String(i) } }, rootfs: { type: 'layers', diff_ids: [] } }));
    const layer = randomBytes(1024 + i * 37);
    const repo = `bench/app${i % 7}`;
    const c = await upload(base, repo, config, 1);
    const l = await upload(base, repo, layer, 1);
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: c, size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: l, size: layer.length }] });
    const tag = `v${i}`;
    const put = await request(`${base}/v2/${repo}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    await put.body.dump();
    refs.push(i % 2 ? `/v2/${repo}/manifests/${tag}` : `/v2/${repo}/manifests/${sha(Buffer.from(manifest))}`);
  }
  return refs;
}

/** CPU time (ms) a process has used so far: user + system, from /proc (clock ticks of 10 ms). */
const cpuOf = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU time per request (µs) of each process during one load run. */
interface CpuPerRequest {
  client: number;
  registry: number;
  proxy: number;
}

/** `clients` clients GET manifests for SECONDS: requests per second, latencies (ms), and each process's CPU per request. */
async function manifestLoad(port: number, paths: string[], clients = CLIENTS): Promise<{ rps: number; lat: number[]; cpu: CpuPerRequest }> {
  const before = { client: selfCpu(), registry: cpuOf(registry.child.pid!), proxy: cpuOf(proxy.child.pid!) };
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: clients });
  const lat: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  let n = 0;
  const client = async (k: number) => {
    let i = k;
    while (performance.now() < until) {
      const t = performance.now();
      const r = await pool.request({ method: 'GET', path: paths[i++ % paths.length]!, headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      await r.body.dump({ limit: 1 << 20 });
      if (r.statusCode !== 200) throw new Error(`GET: ${r.statusCode}`);
      lat.push(performance.now() - t);
      n++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  const seconds = (performance.now() - t0) / 1000;
  const per = (now: number, then: number) => ((now - then) * 1000) / n;
  const cpu = { client: per(selfCpu(), before.client), registry: per(cpuOf(registry.child.pid!), before.registry), proxy: per(cpuOf(proxy.child.pid!), before.proxy) };
  await pool.close();
  return { rps: n / seconds, lat: lat.sort((a, b) => a - b), cpu };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const rss = async (port: number) => ((await (await request(`http://127.0.0.1:${port}/__rss`)).body.json()) as { rss: number }).rss;

/** CPU time per MB (ms) of each process during one blob GET. */
type CpuPerMb = CpuPerRequest;

async function blobGet(port: number, path: string, watch?: number): Promise<{ mbps: number; growth?: number; cpu: CpuPerMb }> {
  const before = watch !== undefined ? await rss(watch) : 0;
  const cpuBefore = { client: selfCpu(), registry: cpuOf(registry.child.pid!), proxy: cpuOf(proxy.child.pid!) };
  let peak = before;
  let polling = watch !== undefined;
  const poller = (async () => {
    while (polling) {
      peak = Math.max(peak, await rss(watch!));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  const r = await request(`http://127.0.0.1:${port}${path}`);
  let bytes = 0;
  for await (const c of r.body) bytes += (c as Buffer).length;
  const seconds = (performance.now() - t0) / 1000;
  polling = false;
  await poller;
  if (bytes !== BLOB_MB * 1024 * 1024) throw new Error(`blob GET: ${bytes} bytes`);
  const mb = bytes / 1024 / 1024;
  const cpu = { client: (selfCpu() - cpuBefore.client) / mb, registry: (cpuOf(registry.child.pid!) - cpuBefore.registry) / mb, proxy: (cpuOf(proxy.child.pid!) - cpuBefore.proxy) / mb };
  return { mbps: mb / seconds, cpu, ...(watch !== undefined ? { growth: (peak - before) / 1024 / 1024 } : {}) };
}

const spread = (xs: number[], digits = 2) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(digits)} / ${s[Math.floor(s.length / 2)]!.toFixed(digits)} / ${s.at(-1)!.toFixed(digits)}`;
};

const registry = await startRegistry();
const proxy = await startProxy(registry.port);
try {
  const direct = `http://127.0.0.1:${registry.port}`;
  const paths = await pushImages(direct, 40);
  const blob = await upload(direct, 'bench/big', randomBytes(1 << 20), BLOB_MB);
  // Warm both paths (connections, JIT).
  await manifestLoad(registry.port, paths);
  await manifestLoad(proxy.port, paths);
  const ratios: number[] = [];
  const bounds: number[] = [];
  const proxyCpu: number[] = [];
  const addedP50: number[] = [];
  const addedP99: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so that neither always gets the warmer machine.
    const first = round % 2 === 0;
    const a = await manifestLoad(first ? registry.port : proxy.port, paths);
    const b = await manifestLoad(first ? proxy.port : registry.port, paths);
    const [d, p] = first ? [a, b] : [b, a];
    ratios.push(p.rps / d.rps);
    // With every process busy on this machine's cores, throughput is at most cores / (CPU per
    // request of all of them): the proxy's own CPU bounds the ratio at (client + registry) / (client + registry + proxy).
    const bound = (p.cpu.client + p.cpu.registry) / (p.cpu.client + p.cpu.registry + p.cpu.proxy);
    bounds.push(bound);
    proxyCpu.push(p.cpu.proxy);
    addedP50.push(pct(p.lat, 50) - pct(d.lat, 50));
    addedP99.push(pct(p.lat, 99) - pct(d.lat, 99));
    console.log(`round ${round + 1}: direct ${d.rps.toFixed(0)} GET/s (p50 ${pct(d.lat, 50).toFixed(2)} ms, p99 ${pct(d.lat, 99).toFixed(2)} ms); proxy ${p.rps.toFixed(0)} GET/s (p50 ${pct(p.lat, 50).toFixed(2)} ms, p99 ${pct(p.lat, 99).toFixed(2)} ms); CPU µs per GET through the proxy: client ${p.cpu.client.toFixed(0)}, registry ${p.cpu.registry.toFixed(0)}, proxy ${p.cpu.proxy.toFixed(0)} (direct: client ${d.cpu.client.toFixed(0)}, registry ${d.cpu.registry.toFixed(0)})`);
  }
  console.log(`manifest GETs, ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS} s: throughput proxy/direct ${spread(ratios)} (min / median / max; target >= 0.8); added latency p50 ${spread(addedP50)} ms (target <= 1), p99 ${spread(addedP99)} ms (target <= 3)`);
  console.log(`  proxy CPU per manifest GET ${spread(proxyCpu, 0)} µs; on ${os.cpus().length} saturated cores its CPU alone bounds the throughput ratio at ${spread(bounds)}`);
  // With 50 clients on saturated cores, a request waits behind the others' work: the added
  // latency is then about 50 × the proxy's CPU per GET / cores, queueing rather than the proxy's
  // own time. One client at a time shows what the proxy adds to a request on an idle machine.
  const oneP50: number[] = [];
  const oneP99: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0;
    const a = await manifestLoad(first ? registry.port : proxy.port, paths, 1);
    const b = await manifestLoad(first ? proxy.port : registry.port, paths, 1);
    const [d, p] = first ? [a, b] : [b, a];
    oneP50.push(pct(p.lat, 50) - pct(d.lat, 50));
    oneP99.push(pct(p.lat, 99) - pct(d.lat, 99));
  }
  console.log(`  queueing at 50 clients: 50 × proxy CPU per GET / ${os.cpus().length} cores = ${spread(proxyCpu.map((us) => (CLIENTS * us) / 1000 / os.cpus().length))} ms; one client at a time, added latency p50 ${spread(oneP50)} ms, p99 ${spread(oneP99)} ms`);
  const blobRatios: number[] = [];
  const blobBounds: number[] = [];
  const growth: number[] = [];
  for (let round = 0; round < Math.min(ROUNDS, 3); round++) {
    const d = await blobGet(registry.port, `/v2/bench/big/blobs/${blob}`);
    const p = await blobGet(proxy.port, `/v2/bench/big/blobs/${blob}`, proxy.port);
    blobRatios.push(p.mbps / d.mbps);
    growth.push(p.growth!);
    // As for manifests: once the cores are saturated, the CPU per MB of all three processes
    // bounds the throughput, so the proxy's own share bounds the ratio. (Below saturation the
    // bound is loose: each side's throughput is then its slowest process's.)
    const cpuPerMb = (c: CpuPerMb) => c.client + c.registry + c.proxy;
    blobBounds.push(Math.min(1, cpuPerMb(d.cpu) / cpuPerMb(p.cpu)));
    const ms = (c: CpuPerMb) => `client ${c.client.toFixed(2)}, registry ${c.registry.toFixed(2)}, proxy ${c.proxy.toFixed(2)}`;
    console.log(`blob round ${round + 1}: direct ${d.mbps.toFixed(0)} MB/s, proxy ${p.mbps.toFixed(0)} MB/s, proxy RSS +${p.growth!.toFixed(1)} MB; CPU ms per MB through the proxy: ${ms(p.cpu)} (direct: ${ms(d.cpu)})`);
  }
  console.log(`${BLOB_MB} MB blob GET: throughput proxy/direct ${spread(blobRatios)} (target >= 0.9); proxy RSS growth ${spread(growth, 1)} MB (target <= 50)`);
  console.log(`  on ${os.cpus().length} saturated cores, CPU per MB (direct / through the proxy, all processes) bounds the throughput ratio at ${spread(blobBounds)}`);
} finally {
  proxy.child.kill('SIGTERM');
  registry.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  fs.rmSync(dir, { recursive: true, force: true });
}
