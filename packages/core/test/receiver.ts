import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one request. */
export type Reply =
  | 'accept'
  | 'reset'
  | { status: number; headers?: Record<string, string>; body?: string };

export interface ReceivedRequest {
  readonly at: number;
  readonly path: string;
  readonly ids: readonly string[];
  readonly authorization: string | undefined;
  readonly reply: Reply;
}

/**
 * A real HTTP ingestion endpoint on 127.0.0.1 for tests: it records every request and counts the
 * ids of the events it accepted (2xx). `behave` decides each reply; it can be changed at any time.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** id → times accepted. */
  readonly accepted = new Map<string, number>();
  behave: (ctx: { ids: string[]; events: Record<string, unknown>[]; index: number; path: string }) => Reply = () => 'accept';
  port = 0;
  private server: http.Server | undefined;

  async start(port = 0): Promise<this> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let events: Record<string, unknown>[] = [];
        try {
          events = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>[];
        } catch {
          res.writeHead(400).end('not JSON');
          return;
        }
        const ids = events.map((e) => String(e.id));
        const path = req.url ?? '';
        const reply = this.behave({ ids, events, index: this.requests.length, path });
        this.requests.push({ at: performance.now(), path, ids, authorization: req.headers.authorization, reply });
        if (reply === 'reset') {
          req.socket.destroy();
          return;
        }
        if (reply === 'accept') {
          for (const id of ids) this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
          res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
          return;
        }
        if (reply.status >= 200 && reply.status < 300) for (const id of ids) this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
        res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops every open connection (the endpoint is down). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  restart(): Promise<this> {
    return this.start(this.port);
  }

  url(template = '/{location}/v1/events'): string {
    return `http://127.0.0.1:${this.port}${template}`;
  }

  get uniqueIds(): number {
    return this.accepted.size;
  }

  get duplicates(): number {
    let n = 0;
    for (const c of this.accepted.values()) n += c - 1;
    return n;
  }
}
