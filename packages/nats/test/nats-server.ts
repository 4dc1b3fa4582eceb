import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Real nats-server processes for tests (Debian's nats-server; .ci/run installs it): JetStream on
 * free loopback ports, a temporary store directory each, stopped by pid. A single server or a
 * three-node cluster (RAFT replication) on loopback.
 */

/** Whether nats-server is installed (the tests that need it say so and skip when it is not). */
export const haveNatsServer = spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** A free TCP port on 127.0.0.1 (the kernel picks one, then it is released for the server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves when something accepts TCP connections on the port, or rejects after `ms`. */
async function listening(port: number, ms: number, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port} within ${ms} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class NatsServer {
  child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly config: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<this> {
    const file = path.join(this.dir, 'server.conf');
    fs.writeFileSync(file, this.config);
    const child = spawn('nats-server', ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-20_000);
    });
    this.child = child;
    await listening(this.port, 15_000, child, () => this.output);
    return this;
  }

  /** Stops the server by its pid (SIGTERM, or SIGKILL for a crash) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, signal);
    await exited;
  }

  log(): string {
    return this.output;
  }
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** One nats-server with JetStream. */
export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const dir = tempDir('regtrail-nats-');
  const config = `listen: 127.0.0.1:${port}\nserver_name: solo\njetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))} }\n`;
  return new NatsServer(port, dir, config).start();
}

/** Three nats-servers forming one JetStream cluster on loopback ports. */
export async function startNatsCluster(): Promise<NatsServer[]> {
  const ports = await Promise.all([0, 1, 2].map(() => freePort()));
  const routes = await Promise.all([0, 1, 2].map(() => freePort()));
  const dir = tempDir('regtrail-nats-cluster-');
  const nodes = [0, 1, 2].map((i) => {
    const node = path.join(dir, `n${i + 1}`);
    fs.mkdirSync(node);
    const config = [
      `server_name: n${i + 1}`,
      `listen: 127.0.0.1:${ports[i]}`,
      `jetstream { store_dir: ${JSON.stringify(path.join(node, 'js'))} }`,
      'cluster {',
      '  name: regtrail',
      `  listen: 127.0.0.1:${routes[i]}`,
      `  routes: [${routes.map((p) => `nats-route://127.0.0.1:${p}`).join(', ')}]`,
      '}',
      '',
    ].join('\n');
    return new NatsServer(ports[i]!, node, config);
  });
  await Promise.all(nodes.map((n) => n.start()));
  return nodes;
}

/** Stops servers and removes their store directories. */
export async function stopAll(servers: readonly (NatsServer | undefined)[]): Promise<void> {
  await Promise.all(servers.map((s) => s?.stop()));
  for (const s of servers) if (s) fs.rmSync(path.dirname(s.dir).includes('cluster') ? path.dirname(s.dir) : s.dir, { recursive: true, force: true });
}
