import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter, memorySink, type ActivityEvent, type EventSink } from '../entry/emit.js';
import { listRoutes } from '../entry/catalog.js';
import { validateEvent } from '../entry/validate.js';
import { createAuditProxy, type AuditProxy, type AuditProxyOptions, type ProxiedRequest } from '../entry/proxy.js';
import { compileTemplate, type CompiledTemplate } from '../routes/template.js';
import type { RouteDef, RouteSource } from '../routes/types.js';

/** A stub upstream on 127.0.0.1: records what it got; `reply` decides each answer. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
let reply: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
const seen: Seen[] = [];
const upstream = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('error', () => undefined);
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    reply(req, res, body);
  });
});
const defaultReply = (_: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

const listen = (server: http.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
let upstreamPort: number;
beforeAll(async () => {
  upstreamPort = await listen(upstream);
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

interface Harness {
  proxy: AuditProxy;
  port: number;
  sink: ReturnType<typeof memorySink>;
  requests: ProxiedRequest[];
  lost: string[];
  logs: string[];
  close(): Promise<void>;
}
const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  seen.length = 0;
  reply = defaultReply;
});
reply = defaultReply;

async function harness(options: Partial<AuditProxyOptions> & { sink?: EventSink } = {}): Promise<Harness> {
  const sink = memorySink();
  const emitter = createEmitter({ accountId: 'acct1', region: 'us-south', sink: options.sink ?? sink });
  const requests: ProxiedRequest[] = [];
  const lost: string[] = [];
  const logs: string[] = [];
  const proxy = createAuditProxy({
    upstream: `http://127.0.0.1:${upstreamPort}`,
    emitter,
    observer: { request: (r) => requests.push(r), lost: (_, reason) => lost.push(reason) },
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...options,
  });
  const server = http.createServer(proxy.handle);
  const port = await listen(server);
  const h: Harness = {
    proxy,
    port,
    sink,
    requests,
    lost,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proxy.close();
    },
  };
  open.push(h);
  return h;
}

/** One request through the proxy, answered in full. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const events = async (h: Harness): Promise<ActivityEvent[]> => {
  await h.proxy.drain();
  return h.sink.events as ActivityEvent[];
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('createAuditProxy: every route of routes.yaml, against a stub upstream', () => {
  // Values a realistic request carries, by the name of the query parameter or body key.
  const QUERY: Record<string, string> = { namespace: 'ns1', toimage: 'us.icr.io/ns1/repo1:tag2', fromimage: 'us.icr.io/ns1/repo1:tag1', repository: 'us.icr.io/ns1/repo1' };
  const BODY: Record<string, unknown> = { namespace: 'ns1', images_per_repo: 5, retain_untagged: false, plan: 'standard', iam_authz: true, private_only: false, platform_metrics: true, storage_megabytes: 500, traffic_megabytes: 5000, exclude_tagged: false, exclude_va: true, include_ibm: false, repositories: ['us.icr.io/ns1/repo1'] };
  const WHOLE_BODY = ['us.icr.io/ns1/repo1:tag1'];
  const queryValue = (k: string) => QUERY[k] ?? 'true';

  function requestOf(route: RouteDef) {
    const template = compileTemplate(route.path) as CompiledTemplate;
    const sources: RouteSource[] = [...Object.values(route.request)];
    const t = route.target;
    if (t?.kind === 'namespace') sources.push(t.name);
    if (t?.kind === 'image') sources.push(t.reference);
    const query = [...new Set(sources.filter((s) => s.from === 'query').map((s) => (s as { key: string }).key))];
    const bodyKeys = sources.filter((s) => s.from === 'body');
    const body = bodyKeys.some((s) => s.key === undefined) ? WHOLE_BODY : bodyKeys.length ? Object.fromEntries(bodyKeys.map((s) => [s.key!, BODY[s.key!]])) : undefined;
    const path = template.sample + (query.length ? `?${query.map((k) => `${k}=${encodeURIComponent(queryValue(k))}`).join('&')}` : '');
    const params: Record<string, string> = {};
    const m = template.regex.exec(template.sample)!;
    template.params.forEach((p, i) => (params[p.name] = p.kind === 'repository' ? `us.icr.io/${m[i + 1]}` : decodeURIComponent(m[i + 1]!)));
    const expected = (s: RouteSource): unknown =>
      s.from === 'const' ? s.value : s.from === 'path' ? params[s.key] : s.from === 'query' ? queryValue(s.key) : s.from === 'header' ? 'acct1' : s.key === undefined ? WHOLE_BODY : BODY[s.key];
    return { path, body, fields: Object.fromEntries(Object.entries(route.request).map(([k, s]) => [k, expected(s)])) };
  }

  it.each(listRoutes().map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_, route) => {
    const h = await harness();
    const { path, body, fields } = requestOf(route);
    const headers: Record<string, string> = { account: 'acct1', authorization: basic('IBMid-50USER', 'hunter2'), 'content-type': 'application/json' };
    const r = await send(h.port, route.method, path, headers, body === undefined ? undefined : JSON.stringify(body));
    expect(r.status).toBe(200);
    // The upstream got the request as sent.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: route.method, url: path, body: body === undefined ? '' : JSON.stringify(body) });
    const got = await events(h);
    if (route.action === null) {
      expect(got).toEqual([]);
      expect(h.requests).toEqual([expect.objectContaining({ action: null, outcome: 'success', status: 200 })]);
      return;
    }
    expect(got).toHaveLength(1);
    const [e] = got;
    expect(e!.action).toBe(route.action);
    expect(e!.outcome).toBe('success');
    expect(e!.initiator).toMatchObject({ id: 'IBMid-50USER', credential: { type: 'user' }, host: { address: '127.0.0.1' } });
    if (Object.keys(fields).length) expect(e!.requestData).toEqual({ RequestParameters: fields });
    else expect(e!.requestData).toBeUndefined();
    expect(validateEvent(e!).problems).toEqual([]);
    expect(JSON.stringify(e)).not.toContain('hunter2');
  });
});

describe('createAuditProxy: requests and answers', () => {
  it('passes end-to-end headers, drops hop-by-hop ones (RFC 9110) both ways, and rewrites Location', async () => {
    reply = (_, res) =>
      res
        .writeHead(202, {
          connection: 'keep-alive, x-hop',
          'x-hop': 'must not pass',
          'keep-alive': 'timeout=5',
          'x-end': 'passes',
          location: `http://127.0.0.1:${upstreamPort}/v2/ns/app/blobs/uploads/u1?_state=abc`,
          'docker-upload-uuid': 'u1',
        })
        .end();
    const h = await harness();
    const r = await send(h.port, 'POST', '/v2/ns/app/blobs/uploads/', { connection: 'x-mine', 'x-mine': 'hop', te: 'trailers', 'x-keep': 'yes', 'proxy-connection': 'keep-alive' }, '');
    expect(r.status).toBe(202);
    expect(seen[0]!.headers).toMatchObject({ 'x-keep': 'yes', host: `127.0.0.1:${upstreamPort}`, 'x-forwarded-for': '127.0.0.1' });
    for (const h of ['x-mine', 'te', 'proxy-connection']) expect(seen[0]!.headers[h]).toBeUndefined();
    expect(r.headers['x-hop']).toBeUndefined();
    expect(r.headers['x-end']).toBe('passes');
    expect(r.headers['docker-upload-uuid']).toBe('u1');
    expect(r.headers.location).toBe(`http://127.0.0.1:${h.port}/v2/ns/app/blobs/uploads/u1?_state=abc`);
    expect(await events(h)).toEqual([]);
  });

  it('failure on a non-2xx answer: reason code = status, severity from the table; event time = arrival', async () => {
    reply = (req, res) => setTimeout(() => res.writeHead(req.url!.includes('denied') ? 403 : 404).end(), 1200);
    const h = await harness();
    const before = Date.now();
    await send(h.port, 'GET', '/v2/ns/denied/manifests/1.0', { authorization: basic('iamapikey', 'KEY-secret') });
    await send(h.port, 'GET', '/v2/ns/app/manifests/1.0');
    const [denied, missing] = await events(h);
    expect(denied).toMatchObject({ outcome: 'failure', reason: { reasonCode: 403 }, severity: 'critical', initiator: { id: 'iamapikey', credential: { type: 'apikey' } } });
    expect(missing).toMatchObject({ outcome: 'failure', reason: { reasonCode: 404 }, severity: 'warning', initiator: { id: 'anonymous', credential: { type: 'public-access' } } });
    // The request arrived about 1.2 s before the upstream answered: the event has its arrival time.
    const t = Date.parse(denied!.eventTime.replace('+0000', 'Z'));
    expect(t).toBeGreaterThanOrEqual(Math.floor(before / 10) * 10);
    expect(t).toBeLessThan(before + 1000);
    expect(JSON.stringify([denied, missing])).not.toContain('KEY-secret');
  });

  it('X-Forwarded-For is believed from trusted proxies only', async () => {
    const trusting = await harness({ trustedProxies: ['127.0.0.0/8'] });
    await send(trusting.port, 'GET', '/v2/ns/app/manifests/1.0', { 'x-forwarded-for': '198.51.100.7, 127.0.0.5' });
    const distrusting = await harness({ trustedProxies: ['10.0.0.0/8'] });
    await send(distrusting.port, 'GET', '/v2/ns/app/manifests/1.0', { 'x-forwarded-for': '198.51.100.7' });
    expect((await events(trusting))[0]!.initiator.host.address).toBe('198.51.100.7');
    expect((await events(distrusting))[0]!.initiator.host.address).toBe('127.0.0.1');
    expect(() => createAuditProxy({ upstream: 'http://127.0.0.1:1', emitter: createEmitter({ accountId: 'a', region: 'us-south', sink: memorySink() }), trustedProxies: ['10.0.0.0/33'] })).toThrow(/invalid trusted proxy "10.0.0.0\/33"/);
  });

  it('a Bearer JWT names its iam_id (or sub); the token is never kept', async () => {
    const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.SIGNATURE-abc123`;
    const h = await harness();
    await send(h.port, 'GET', '/v2/ns/app/manifests/1.0', { authorization: `Bearer ${jwt({ iam_id: 'iam-ServiceId-42', sub: 'ServiceId-42' })}` });
    await send(h.port, 'GET', '/v2/ns/app/manifests/1.0', { authorization: `Bearer ${jwt({ sub: 'IBMid-7' })}` });
    await send(h.port, 'GET', '/v2/ns/app/manifests/1.0', { authorization: 'Bearer not-a-jwt-SECRET' });
    const got = await events(h);
    expect(got.map((e) => [e.initiator.id, e.initiator.typeURI, e.initiator.credential.type])).toEqual([
      ['iam-ServiceId-42', 'service/security/account/serviceid', 'token'],
      ['IBMid-7', 'service/security/account/user', 'token'],
      ['unknown', 'service/security/account/user', 'token'],
    ]);
    expect(JSON.stringify(got)).not.toMatch(/SIGNATURE|SECRET/);
  });

  it('refuses an upstream that is not an origin, and a public host of no region', () => {
    const emitter = createEmitter({ accountId: 'a', region: 'us-south', sink: memorySink() });
    expect(() => createAuditProxy({ upstream: 'http://u:p@127.0.0.1:1', emitter })).toThrow(/without path, query or credentials/);
    expect(() => createAuditProxy({ upstream: 'ftp://127.0.0.1:1', emitter })).toThrow(/invalid upstream/);
    expect(() => createAuditProxy({ upstream: 'http://127.0.0.1:1', emitter, publicHost: 'docker.io' })).toThrow(/invalid public host "docker.io"/);
  });
});

describe('createAuditProxy: faults', () => {
  it('upstream down: 502 to the client and a failure event', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const h = await harness({ upstream: `http://127.0.0.1:${closedPort}` });
    const r = await send(h.port, 'PUT', '/v2/ns/app/manifests/1.0', { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, '{}');
    expect(r.status).toBe(502);
    expect(JSON.parse(r.body).errors[0].message).toMatch(/ECONNREFUSED/);
    const [e] = await events(h);
    expect(e).toMatchObject({ action: 'container-registry.image.push', outcome: 'failure', reason: { reasonCode: 502 }, severity: 'warning' });
    // Unmapped requests get 502 too, without an event.
    expect((await send(h.port, 'GET', '/v2/')).status).toBe(502);
    expect(await events(h)).toHaveLength(1);
  });

  it('upstream reset mid-body: the client sees the break, the event is a failure', async () => {
    reply = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000', 'docker-content-digest': `sha256:${'1'.repeat(64)}` });
      res.write('x'.repeat(1000), () => setTimeout(() => res.socket!.destroy(), 50));
    };
    const h = await harness();
    await expect(send(h.port, 'GET', '/v2/ns/app/manifests/1.0')).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
    const [e] = await events(h);
    expect(e).toMatchObject({ action: 'container-registry.image.pull', outcome: 'failure', reason: { reasonCode: 502, reasonForFailure: expect.stringMatching(/broke off/) } });
    expect(h.proxy.stats().inFlight).toBe(0);
    // And the proxy goes on.
    reply = defaultReply;
    expect((await send(h.port, 'GET', '/v2/ns/app/manifests/1.0')).status).toBe(200);
  });

  it('a client that disconnects mid-upload: the upstream request is aborted, nothing hangs', async () => {
    let upstreamAborted!: () => void;
    const aborted = new Promise<void>((r) => (upstreamAborted = r));
    const gotData = new Promise<void>((resolve) => {
      reply = () => undefined;
      upstream.once('request', (req: http.IncomingMessage) => {
        req.once('data', () => resolve());
        req.once('close', () => upstreamAborted());
      });
    });
    const h = await harness();
    const req = http.request({ host: '127.0.0.1', port: h.port, method: 'PATCH', path: '/v2/ns/app/blobs/uploads/u1', headers: { 'content-length': String(10 * 1024 * 1024) } });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(256 * 1024));
    await gotData;
    req.destroy();
    await aborted;
    await h.proxy.drain();
    expect(h.proxy.stats().inFlight).toBe(0);
    expect(h.requests).toEqual([expect.objectContaining({ action: null, outcome: 'failure', status: 499 })]);
    expect(await events(h)).toEqual([]);
  });

  it('a client that disconnects mid-download: the upstream answer is dropped, the event says the client went away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => (upstreamClosed = r));
    reply = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024), 'docker-content-digest': `sha256:${'1'.repeat(64)}` });
      // Far more than the sockets buffer: the proxy has to hold the upstream back until the client reads.
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const more = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', more);
      res.on('close', () => upstreamClosed());
      more();
    };
    const h = await harness();
    const got = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: h.port, method: 'GET', path: '/v2/ns/app/manifests/1.0' }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes >= 2 * 1024 * 1024) {
            req.destroy();
            resolve(bytes);
          }
        });
      });
      req.on('error', () => undefined);
      req.on('close', () => reject(new Error('closed before 2 MB')));
      req.end();
    });
    expect(got).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    await closed;
    const [e] = await events(h);
    expect(e).toMatchObject({ action: 'container-registry.image.pull', outcome: 'failure', reason: { reasonCode: 499, reasonForFailure: expect.stringMatching(/client went away/) } });
    expect(h.proxy.stats().inFlight).toBe(0);
    expect(h.requests).toEqual([expect.objectContaining({ action: 'image.pull', outcome: 'failure', status: 499 })]);
    // And the proxy goes on.
    reply = defaultReply;
    expect((await send(h.port, 'GET', '/v2/ns/app/manifests/1.0')).status).toBe(200);
  });

  it('a sink that fails: open keeps traffic flowing and counts each lost event; closed answers 503 until it works', async () => {
    let failing = true;
    const inner = memorySink();
    const flaky: EventSink = {
      write: (e) => (failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : inner.write(e)),
      flush: () => (failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : inner.flush()),
      close: () => inner.close(),
    };
    const openProxy = await harness({ sink: flaky });
    for (let i = 0; i < 3; i++) expect((await send(openProxy.port, 'GET', '/v2/ns/app/manifests/1.0')).status).toBe(200);
    await openProxy.proxy.drain();
    expect(openProxy.proxy.stats()).toMatchObject({ lost: 3, emitted: 0, refused: 0 });
    expect(openProxy.logs.filter((l) => l.includes('event is lost'))).toHaveLength(3);

    const closedProxy = await harness({ sink: flaky, onAuditFailure: 'closed' });
    seen.length = 0;
    // The first request reaches the upstream; its event cannot be written, so the client gets 503.
    expect((await send(closedProxy.port, 'GET', '/v2/ns/app/manifests/1.0')).status).toBe(503);
    // While the sink fails, mapped requests do not reach the upstream; unmapped ones do.
    expect((await send(closedProxy.port, 'GET', '/v2/ns/app/manifests/1.0')).status).toBe(503);
    expect((await send(closedProxy.port, 'GET', '/v2/')).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/v2/ns/app/manifests/1.0', '/v2/']);
    failing = false;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send(closedProxy.port, 'GET', '/v2/ns/app/manifests/1.0')).status).toBe(200);
    await closedProxy.proxy.drain();
    expect(closedProxy.proxy.stats()).toMatchObject({ emitted: 1, refused: 2 });
    expect(inner.events).toHaveLength(1);
  });
});
