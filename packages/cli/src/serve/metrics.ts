import http from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditProxyObserver } from '@regtrail/core/proxy';

/**
 * The proxy's Prometheus metrics (prom-client, a registry of its own): requests by action and
 * outcome, events emitted and dropped, the spool backlog and the upstream latency. Labels take
 * only the catalog's action names and four outcomes, so their number is bounded.
 */
export function proxyMetrics(backlog: () => number): { observer: AuditProxyObserver; registry: Registry } {
  const registry = new Registry();
  const requests = new Counter({
    name: 'regtrail_proxy_requests_total',
    help: 'Requests forwarded, by the action they map to (none: no event) and outcome (success, failure, refused: 503 because the audit sink fails)',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  const emitted = new Counter({ name: 'regtrail_proxy_events_emitted_total', help: 'Events written to the sink, by action', labelNames: ['action'] as const, registers: [registry] });
  const dropped = new Counter({ name: 'regtrail_proxy_events_dropped_total', help: 'Events that could not be written or built, by action', labelNames: ['action'] as const, registers: [registry] });
  new Gauge({
    name: 'regtrail_proxy_spool_backlog',
    help: 'Events in the spool not yet delivered (0 when the events go to a file)',
    registers: [registry],
    collect() {
      this.set(backlog());
    },
  });
  const latency = new Histogram({
    name: 'regtrail_proxy_upstream_latency_seconds',
    help: 'Time until the upstream answered with its response headers',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observer: {
      request(r) {
        requests.inc({ action: r.action ?? 'none', outcome: r.outcome });
        if (r.upstreamSeconds !== undefined) latency.observe(r.upstreamSeconds);
      },
      emitted: (action) => emitted.inc({ action }),
      lost: (action) => dropped.inc({ action }),
    },
  };
}

/**
 * The admin listener of a long-running command (`--admin-listen`): /metrics (Prometheus text
 * format) and /healthz, which answers the state as JSON, with 503 when it says `ok: false` and
 * 200 otherwise. Nothing else.
 */
export function adminServer(registry: Registry, health: () => Record<string, unknown>): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
      );
      return;
    }
    if (path === '/healthz') {
      const state = health();
      const body = `${JSON.stringify(state)}\n`;
      res.writeHead(state.ok === false ? 503 : 200, { 'content-type': 'application/json' }).end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
  });
}
