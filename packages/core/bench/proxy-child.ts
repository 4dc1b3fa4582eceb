/**
 * The audit proxy in a process of its own, for bench/proxy.bench.ts: forwards to UPSTREAM,
 * writes events to OUT (a file sink), prints its port, and answers GET /__rss with its memory.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmitter, fileSink } from '../dist/entry/emit.js';
import { createAuditProxy } from '../dist/entry/proxy.js';

const sink = fileSink(process.env.OUT!);
const proxy = createAuditProxy({ upstream: process.env.UPSTREAM!, emitter: createEmitter({ accountId: 'bench1', region: 'us-south', sink }) });
const server = http.createServer((req, res) => {
  if (req.url === '/__rss') return void res.end(JSON.stringify({ rss: process.memoryUsage().rss, ...proxy.stats() }));
  proxy.handle(req, res);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
process.on('SIGTERM', () => {
  server.close();
  void proxy.drain().then(() => sink.close()).then(() => process.exit(0));
});
