import http from 'node:http';
import { Command, Option } from 'commander';
import { createEmitter } from '@regtrail/core/emit';
import { createAuditProxy } from '@regtrail/core/proxy';
import { EXIT } from '../io.js';
import { auditSinkOptions, openAuditSink, type AuditSinkCliOptions } from '../serve/audit-sink.js';
import { listen } from '../serve/listen.js';
import { adminServer, proxyMetrics } from '../serve/metrics.js';
import { note, stopListening, untilSignal } from '../serve/run.js';

interface ProxyCliOptions extends AuditSinkCliOptions {
  upstream: string;
  listen: string;
  account: string;
  region: string;
  publicHost?: string;
  trustedProxy: string[];
  onAuditFailure: 'open' | 'closed';
  adminListen?: string;
  json?: boolean;
}

export function proxyCommand(): Command {
  const cmd = new Command('proxy')
    .description(
      'Run an audit proxy in front of an OCI registry or compatible API: it forwards every request, streaming, and writes one event for each request the route map maps to an action ' +
        '(success on 2xx, failure otherwise). SIGTERM or SIGINT: stop accepting, finish what is in flight, flush the events, exit. ' +
        'Exit code 0: every event written, 1: events were lost (--on-audit-failure open) or are left undelivered, 2: usage error.',
    )
    .requiredOption('--upstream <url>', 'the registry to forward to, such as http://127.0.0.1:5000')
    .requiredOption('--listen <host:port>', 'where to accept requests, such as 127.0.0.1:5001')
    .requiredOption('--account <id>', 'the account the events belong to')
    .requiredOption('--region <region>', "the registry's region (us-south, a former name, or a registry domain)")
    .option('--public-host <host>', "the registry's public host name that images are named with (default: the region's domain, such as us.icr.io)")
    .option('--trusted-proxy <cidr>', 'a proxy in front of this one whose X-Forwarded-For is believed (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(new Option('--on-audit-failure <mode>', 'when events cannot be written: open keeps traffic flowing and counts the lost events; closed answers 503 to requests that generate events').choices(['open', 'closed']).default('open'))
    .option('--admin-listen <host:port>', 'serve /metrics (Prometheus) and /healthz here')
    .option('--json', 'at exit, print the counts as one JSON object');
  return auditSinkOptions(cmd).action(async (opts: ProxyCliOptions) => {
    const log = note('proxy');
    const audit = await openAuditSink(opts, log);
    const servers: http.Server[] = [];
    try {
      const emitter = createEmitter({ accountId: opts.account, region: opts.region, sink: audit.sink });
      const metrics = proxyMetrics(audit.backlog);
      const proxy = createAuditProxy({
        upstream: opts.upstream,
        emitter,
        ...(opts.publicHost !== undefined ? { publicHost: opts.publicHost } : {}),
        trustedProxies: opts.trustedProxy,
        onAuditFailure: opts.onAuditFailure,
        observer: metrics.observer,
        log,
      });
      const server = http.createServer(proxy.handle);
      servers.push(server);
      const where = await listen(server, '--listen', opts.listen);
      let admin: string | undefined;
      if (opts.adminListen !== undefined) {
        const a = adminServer(metrics.registry, () => ({ status: 'ok', ...proxy.stats(), backlog: audit.backlog() }));
        servers.push(a);
        admin = await listen(a, '--admin-listen', opts.adminListen);
      }
      process.stderr.write(
        `regtrail proxy: listening on http://${where}, forwarding to ${new URL(opts.upstream).origin}; events to ${audit.where}${admin ? `; metrics on http://${admin}/metrics` : ''}\n`,
      );
      const signal = await untilSignal();
      process.stderr.write(`regtrail proxy: ${signal}: finishing the requests in flight, then writing the events\n`);
      const closing = stopListening(server);
      await proxy.drain();
      server.closeAllConnections();
      await closing;
      await proxy.close();
      const left = await audit.close();
      const stats = proxy.stats();
      for (const s of servers.slice(1)) await stopListening(s).then(() => s.closeAllConnections());
      const ok = stats.lost === 0 && left === undefined;
      if (stats.lost) log('error', `${stats.lost} event(s) were lost: the sink could not take them (see the notes above)`);
      if (left) log('error', left);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok, requests: stats.requests, emitted: stats.emitted, lost: stats.lost, refused: stats.refused, undelivered: left ?? null }, null, 2)}\n`);
      else process.stderr.write(`regtrail proxy: ${stats.requests} request(s), ${stats.emitted} event(s) written, ${stats.lost} lost, ${stats.refused} refused\n`);
      process.exitCode = ok ? EXIT.ok : EXIT.failed;
    } catch (err) {
      for (const s of servers) s.close();
      await audit.close().catch(() => undefined);
      throw err;
    }
  });
}
