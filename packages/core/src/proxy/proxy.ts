import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { pipeline, Transform, type Readable } from 'node:stream';
import { relayBody } from './relay-body.js';
import { Pool, requestOn } from '../undici.js';
import { RegtrailError } from '../errors.js';
import type { Emitter } from '../event/emitter.js';
import type { EmitInput, TargetInput } from '../event/input.js';
import { parseImageReference } from '../regions/image-reference.js';
import { locateRoute, matchFound, type FoundRoute } from '../routes/match.js';
import type { RouteDef, RouteSource } from '../routes/types.js';
import { agentOf, callerOf, clientAddress, trustedProxies } from './caller.js';
import { endToEnd, rewriteLocation } from './headers.js';
import { isEventError } from './event-error.js';

export interface AuditProxyOptions {
  /** The registry (or compatible API) to forward to: an http or https origin, such as http://127.0.0.1:5000. */
  upstream: string | URL;
  /** Where the events go. Its region's domain is the public host by default. */
  emitter: Emitter;
  /** The registry's public host name, naming images in events (us.icr.io); the emitter region's domain by default. */
  publicHost?: string;
  /** Addresses and CIDRs of proxies in front of this one, whose X-Forwarded-For is believed. None by default. */
  trustedProxies?: readonly string[];
  /**
   * When an event cannot be written: `open` (default) forwards requests anyway and counts the
   * lost event; `closed` answers 503 to requests that generate events until the sink works again,
   * and relays an upstream answer only once its event is written.
   */
  onAuditFailure?: 'open' | 'closed';
  /** Told about each request and event, for metrics. */
  observer?: AuditProxyObserver;
  /** Where notes go (lost events, upstream errors). Nothing in them is a credential. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Connections to the upstream, at most (a keep-alive pool); 128 by default. */
  connections?: number;
}

/** What happened to one request, as metrics count it. */
export interface ProxiedRequest {
  /** The short action (image.pull), or null for a request that generates no event. */
  readonly action: string | null;
  /** `success` (2xx), `failure`, or `refused` (503 from the proxy: the audit sink fails, under closed). */
  readonly outcome: 'success' | 'failure' | 'refused';
  readonly status: number;
  /** Seconds until the upstream's response headers; undefined when it never answered. */
  readonly upstreamSeconds: number | undefined;
}

export interface AuditProxyObserver {
  request?(r: ProxiedRequest): void;
  /** An event reached the sink. */
  emitted?(action: string): void;
  /** An event could not be written or built. */
  lost?(action: string, reason: string): void;
}

export interface AuditProxyStats {
  readonly inFlight: number;
  readonly requests: number;
  readonly emitted: number;
  readonly lost: number;
  readonly refused: number;
}

export interface AuditProxy {
  /** The request handler, for `http.createServer(proxy.handle)` or a framework's raw Node.js request and response. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  stats(): AuditProxyStats;
  /** Resolves once no request is in flight and every event started is written or counted as lost. */
  drain(): Promise<void>;
  /** Closes the upstream connections (not the emitter: its owner closes it). */
  close(): Promise<void>;
}

/** Request bodies read for their fields (management API calls: small JSON), at most. */
const MAX_CAPTURE = 64 * 1024;
/** Under `closed`, how often a failing sink is tried again. */
const RETRY_SINK_MS = 1000;
/** A client that went away before the answer (nginx's code). */
const CLIENT_CLOSED = 499;

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Drops an upstream body that will not be relayed (undici's body streams report their own destruction as an error). */
const discard = (body: Readable) => {
  body.on('error', () => undefined);
  body.destroy();
};

/** Whether a route reads the request body. */
const readsBody = (route: RouteDef): boolean => {
  const sources: RouteSource[] = Object.values(route.request);
  const t = route.target;
  if (t?.kind === 'namespace') sources.push(t.name);
  if (t?.kind === 'image') sources.push(t.reference);
  return sources.some((s) => s.from === 'body');
};

/** Passes a body through while keeping its first MAX_CAPTURE bytes. */
class Capture extends Transform {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflow = false;
  override _transform(chunk: Buffer, _: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void) {
    if (!this.overflow) {
      if (this.size + chunk.length > MAX_CAPTURE) this.overflow = true;
      else {
        this.chunks.push(chunk);
        this.size += chunk.length;
      }
    }
    done(null, chunk);
  }
  json(): unknown {
    if (this.overflow || this.size === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(this.chunks).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }
}

/**
 * An audit proxy: forwards every request to the upstream, streaming bodies both ways, and writes
 * one event for each request that the route map (content/catalog/routes.yaml) maps to an action,
 * once the upstream has answered: success on 2xx, failure with the status as reason code
 * otherwise. The event time is when the request arrived. The library never owns the process: the
 * caller makes the server, and drains and closes.
 */
export function createAuditProxy(options: AuditProxyOptions): AuditProxy {
  if (!options || typeof options !== 'object' || !options.emitter) throw new RegtrailError('BAD_OPTIONS', 'createAuditProxy needs options: upstream and emitter');
  let upstream: URL;
  try {
    upstream = new URL(String(options.upstream));
  } catch {
    throw new RegtrailError('BAD_OPTIONS', `invalid upstream ${JSON.stringify(String(options.upstream))}: expected an http or https origin such as http://127.0.0.1:5000`);
  }
  if ((upstream.protocol !== 'http:' && upstream.protocol !== 'https:') || upstream.username || upstream.password || (upstream.pathname !== '/' && upstream.pathname !== '') || upstream.search) {
    throw new RegtrailError('BAD_OPTIONS', `invalid upstream ${JSON.stringify(upstream.origin)}: expected an http or https origin without path, query or credentials, such as http://127.0.0.1:5000`);
  }
  const { emitter, observer = {} } = options;
  const publicHost = options.publicHost ?? emitter.region.domain;
  if (!parseImageReference(`${publicHost}/ns/repo:tag`).region) {
    throw new RegtrailError('BAD_OPTIONS', `invalid public host ${JSON.stringify(publicHost)}: it is not the domain of a Container Registry region, so images named with it have no region`);
  }
  const proxies = options.trustedProxies?.length ? trustedProxies(options.trustedProxies) : undefined;
  const closed = (options.onAuditFailure ?? 'open') === 'closed';
  if (options.onAuditFailure !== undefined && options.onAuditFailure !== 'open' && options.onAuditFailure !== 'closed') {
    throw new RegtrailError('BAD_OPTIONS', `invalid onAuditFailure ${JSON.stringify(options.onAuditFailure)}: expected open or closed`);
  }
  const log = options.log ?? (() => undefined);
  const pool = new Pool(upstream.origin, { connections: options.connections ?? 128, pipelining: 1 });
  const short = (action: string) => action.slice(action.indexOf('.') + 1);

  let inFlight = 0;
  let requests = 0;
  let emitted = 0;
  let lost = 0;
  let refused = 0;
  const pending = new Set<Promise<unknown>>();
  let idle: (() => void)[] = [];
  const settle = () => {
    if (inFlight === 0 && pending.size === 0) {
      const waiting = idle;
      idle = [];
      waiting.forEach((w) => w());
    }
  };
  /** Under closed: since when the sink fails (0: it works), and when it was last tried. */
  let failingSince = 0;
  let lastTry = 0;

  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    const done = () => {
      pending.delete(p);
      settle();
    };
    p.then(done, done);
    return p;
  };

  /** Writes the event of a mapped request; resolves true once the sink has it, false when it is lost. */
  const record = (req: IncomingMessage, found: FoundRoute | undefined, peer: string | undefined, arrived: number, status: number, digest: string | undefined, body: unknown, why?: string): Promise<boolean> => {
    const url = req.url ?? '/';
    const match = matchFound(found, url, { publicHost, headers: req.headers, body });
    if (!match) return Promise.resolve(true);
    const action = short(match.action);
    const path = url.split('?')[0];
    const lose = (reason: string): false => {
      lost++;
      observer.lost?.(action, reason);
      log('error', `${req.method} ${path}: the ${action} event is lost: ${reason}`);
      return false;
    };
    if (!match.target) return Promise.resolve(lose('the request does not name what it acts on'));
    let target: TargetInput = match.target;
    if (digest !== undefined && target.type === 'image' && !target.reference.includes('@') && DIGEST.test(digest)) target = { ...target, digest };
    const ok = status >= 200 && status < 300;
    const input: EmitInput<string> = {
      initiator: {
        ...callerOf(req.headers.authorization),
        ip: clientAddress(peer, req.headers['x-forwarded-for'], proxies),
        ...(agentOf(req.headers['user-agent']) ? { agent: agentOf(req.headers['user-agent'])! } : {}),
      },
      target,
      outcome: ok ? 'success' : 'failure',
      status,
      ...(STATUS_CODES[status] ? {} : { reasonType: `HTTP ${status}` }),
      ...(why ? { reasonForFailure: why } : {}),
      ...(match.requestData ? { requestData: match.requestData } : {}),
      time: arrived,
    };
    let write: Promise<unknown>;
    try {
      write = emitter.emit(match.action as never, input as never);
    } catch (err) {
      write = Promise.reject(err);
    }
    return track(
      write.then(
        () => {
          emitted++;
          failingSince = 0;
          observer.emitted?.(action);
          return true;
        },
        (err: unknown) => {
          if (!isEventError(err) && failingSince === 0) failingSince = lastTry = Date.now();
          return lose(err instanceof Error ? err.message : String(err));
        },
      ),
    );
  };

  /** Under closed, with a failing sink: whether to try it again now (a flush that succeeds means it works). */
  const sinkBack = async (): Promise<boolean> => {
    if (failingSince === 0) return true;
    const now = Date.now();
    if (now - lastTry < RETRY_SINK_MS) return false;
    lastTry = now;
    try {
      await track(emitter.flush());
      failingSince = 0;
      return true;
    } catch {
      return false;
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const arrived = Date.now();
    // The socket leaves the request once it is answered: keep its address now.
    const peer = req.socket.remoteAddress;
    requests++;
    // An aborted upload ends with an error on the request stream (undici destroys it): that is handled where the request settles.
    req.on('error', () => undefined);
    inFlight++;
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const found = locateRoute(method, url);
    const route = found?.compiled.route;
    const mapped = route !== undefined && route.action !== null;
    const action = mapped ? short(route.action!) : null;
    let upstreamSeconds: number | undefined;
    let finished = false;
    const finish = (outcome: ProxiedRequest['outcome'], status: number) => {
      if (finished) return;
      finished = true;
      inFlight--;
      observer.request?.({ action, outcome, status, upstreamSeconds });
      settle();
    };
    const plain = (status: number, message: string) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = `${JSON.stringify({ errors: [{ code: status === 503 ? 'UNAVAILABLE' : 'UPSTREAM', message }] })}\n`;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    };

    const forward = () => {
      // undici takes an EventEmitter as the request's signal ('abort' stops the upstream request):
      // cheaper per request than an AbortController, which is only ever aborted by a client gone.
      const abort = new EventEmitter();
      let clientGone = false;
      res.on('close', () => {
        if (!res.writableFinished) {
          clientGone = true;
          abort.emit('abort');
        }
      });
      const headers = endToEnd(req.headers, ['host', 'expect']);
      if (peer) {
        const prior = req.headers['x-forwarded-for'];
        headers['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${peer}` : peer;
      }
      const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
      let capture: Capture | undefined;
      let body: Readable | undefined;
      if (hasBody) {
        if (mapped && readsBody(route)) {
          capture = new Capture();
          body = pipeline(req, capture, () => undefined);
        } else body = req;
      }
      const started = performance.now();
      requestOn
        .call(pool, { method: method as 'GET', path: url, headers, body: body ?? null, signal: abort })
        .then(
          async (up) => {
            upstreamSeconds = (performance.now() - started) / 1000;
            const status = up.statusCode;
            const out = endToEnd(up.headers as Record<string, string | string[]>);
            if (typeof out.location === 'string') out.location = rewriteLocation(out.location, upstream, req.headers.host);
            const digestHeader = out['docker-content-digest'];
            const digest = typeof digestHeader === 'string' && status >= 200 && status < 300 ? digestHeader : undefined;
            const outcome = status >= 200 && status < 300 ? 'success' : 'failure';
            if (mapped && closed) {
              // The event is written before the client sees the answer; without it, no answer.
              const written = await record(req, found, peer, arrived, status, digest, capture?.json());
              if (!written) {
                discard(up.body);
                plain(503, 'the audit trail cannot be written; try again later');
                finish('refused', 503);
                refused++;
                return;
              }
            }
            if (clientGone) {
              discard(up.body);
              finish('failure', CLIENT_CLOSED);
              return;
            }
            res.writeHead(status, out);
            relayBody(up.body, res, (err) => {
              if (err && !clientGone) {
                // The upstream broke off mid-body: the client got less than it was promised.
                if (mapped && !closed) void record(req, found, peer, arrived, 502, undefined, capture?.json(), 'the upstream connection broke off in the middle of the response body');
                log('warn', `${method} ${url.split('?')[0]}: the upstream broke off mid-body (${(err as NodeJS.ErrnoException).code ?? err.message})`);
                finish('failure', 502);
                return;
              }
              if (clientGone) {
                if (mapped && !closed) void record(req, found, peer, arrived, CLIENT_CLOSED, undefined, capture?.json(), 'the client went away before the whole answer was sent');
                finish('failure', CLIENT_CLOSED);
                return;
              }
              if (mapped && !closed) void record(req, found, peer, arrived, status, digest, capture?.json());
              finish(outcome, status);
            });
          },
          (err: unknown) => {
            if (clientGone) {
              if (mapped && !closed) void record(req, found, peer, arrived, CLIENT_CLOSED, undefined, capture?.json(), 'the client went away before the upstream answered');
              finish('failure', CLIENT_CLOSED);
              return;
            }
            const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
            log('warn', `${method} ${url.split('?')[0]}: the upstream did not answer (${code})`);
            const respond = () => {
              plain(502, `the upstream did not answer (${code})`);
              finish('failure', 502);
            };
            if (!mapped) return respond();
            const written = record(req, found, peer, arrived, 502, undefined, capture?.json(), `the upstream did not answer (${code})`);
            if (!closed) return respond();
            void written.then((ok) => {
              if (ok) return respond();
              refused++;
              plain(503, 'the audit trail cannot be written; try again later');
              finish('refused', 503);
            });
          },
        )
        .catch((err: unknown) => {
          // A bug or an answer Node.js cannot relay (an invalid header): drop the connection, never the process.
          log('error', `${method} ${url.split('?')[0]}: cannot relay the answer: ${err instanceof Error ? err.message : String(err)}`);
          res.destroy();
          finish('failure', 502);
        });
    };

    if (mapped && closed && failingSince !== 0) {
      void sinkBack().then((back) => {
        if (back) return forward();
        refused++;
        req.resume();
        plain(503, 'the audit trail cannot be written; try again later');
        finish('refused', 503);
      });
      return;
    }
    forward();
  };

  return {
    handle,
    stats: () => ({ inFlight, requests, emitted, lost, refused }),
    drain: () =>
      new Promise<void>((resolve) => {
        idle.push(resolve);
        settle();
      }),
    close: () => pool.close(),
  };
}
