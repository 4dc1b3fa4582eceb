import { routeMap } from '../generated/routes.js';
import { allActions } from '../catalog/catalog.js';
import type { EmittableActionId, TargetInput } from '../event/input.js';
import { compileTemplate, matchTemplate, type CompiledTemplate } from './template.js';
import type { RouteDef, RouteSource, RouteTarget } from './types.js';

export type { RouteDef, RouteSource, RouteTarget } from './types.js';

/** What a request would generate: the action, its target and its request fields. */
export interface RouteMatch {
  /** The full action id, such as `container-registry.image.push`. */
  readonly action: EmittableActionId;
  /** The route of routes.yaml that matched. */
  readonly route: RouteDef;
  /** Decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * The event's target. Undefined when the request lacks what names it (a query parameter that
   * is missing, say): such a request makes no valid event.
   */
  readonly target: TargetInput | undefined;
  /** `{ RequestParameters: {...} }` with the fields the route names that the request has; undefined when none. */
  readonly requestData: { RequestParameters: Record<string, unknown> } | undefined;
}

/** What the request carries besides its method and path. */
export interface MatchContext {
  /**
   * The registry's public host name (us.icr.io): images of registry protocol paths are named
   * `<publicHost>/<repository>`. Without it they are named by repository path alone.
   */
  publicHost?: string;
  /** Request headers (names in any case), as Node.js or fetch give them. */
  headers?: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The request body, parsed from JSON, when a route takes fields from it. */
  body?: unknown;
}

interface Compiled {
  readonly route: RouteDef;
  readonly template: CompiledTemplate;
  /** Parameters whose values are repository paths, named publicly as `<publicHost>/<path>`. */
  readonly repositories: ReadonlySet<string>;
}

/** The routes, compiled, by method (the loader proved that every template compiles). */
const byMethod = new Map<string, Compiled[]>();
for (const route of routeMap.routes as readonly RouteDef[]) {
  const template = compileTemplate(route.path) as CompiledTemplate;
  let list = byMethod.get(route.method);
  if (!list) byMethod.set(route.method, (list = []));
  list.push({ route, template, repositories: new Set(template.params.filter((p) => p.kind === 'repository').map((p) => p.name)) });
}

/** Actions that act on the account when the request names no namespace (image.list without ?namespace). */
const ACCOUNT_FALLBACK = new Set<string>(allActions().filter((a) => a.targets.includes('account')).map((a) => a.id));

/** Every route of routes.yaml, in order, including those that generate no event (action null). */
export function listRoutes(): readonly RouteDef[] {
  return routeMap.routes as readonly RouteDef[];
}

/**
 * The route of a request (the first of routes.yaml whose method and template match), with its
 * path parameters; undefined when no route matches. Routes with action null match too.
 */
export function findRoute(method: string, path: string): { route: RouteDef; params: Record<string, string> } | undefined {
  const found = locateRoute(method, path);
  return found && { route: found.compiled.route, params: found.params };
}

/** The route of a request, for a caller that reads the route now and matches the request later (the audit proxy). */
export function locateRoute(method: string, path: string): FoundRoute | undefined {
  const list = byMethod.get(method.toUpperCase());
  if (!list) return undefined;
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  for (const c of list) {
    const params = matchTemplate(c.template, bare);
    if (params) return { compiled: c, params };
  }
  return undefined;
}

function header(headers: MatchContext['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (k.toLowerCase() === lower) return typeof v === 'string' ? v : v?.[0];
  }
  return undefined;
}

/**
 * The action, target and request fields a request generates, from the route map
 * (content/catalog/routes.yaml); undefined for a request that generates no event (no route, or a
 * route to none). `path` may carry a query string.
 */
export function matchRoute(method: string, path: string, context: MatchContext = {}): RouteMatch | undefined {
  return matchFound(locateRoute(method, path), path, context);
}

/** A request's route as found by locateRoute: matched later (matchFound) without searching the routes again. */
export type FoundRoute = { readonly compiled: Compiled; readonly params: Record<string, string> };

/** matchRoute for a route already found (locateRoute) for this path. */
export function matchFound(found: FoundRoute | undefined, path: string, context: MatchContext = {}): RouteMatch | undefined {
  if (!found || found.compiled.route.action === null) return undefined;
  const { compiled, params } = found;
  const route = compiled.route;
  const q = path.indexOf('?');
  const query = q === -1 ? undefined : new URLSearchParams(path.slice(q + 1));
  const body = context.body;
  const value = (s: RouteSource): unknown => {
    switch (s.from) {
      case 'const':
        return s.value;
      case 'path': {
        const v = params[s.key];
        return v !== undefined && context.publicHost && compiled.repositories.has(s.key) ? `${context.publicHost}/${v}` : v;
      }
      case 'query':
        return query?.get(s.key) ?? undefined;
      case 'header':
        return header(context.headers, s.key);
      case 'body':
        if (s.key === undefined) return body;
        return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[s.key] : undefined;
    }
  };
  const text = (s: RouteSource): string | undefined => {
    const v = value(s);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const fields: Record<string, unknown> = {};
  let any = false;
  for (const [name, s] of Object.entries(route.request)) {
    const v = value(s);
    if (v !== undefined) {
      fields[name] = v;
      any = true;
    }
  }
  return {
    action: route.action as EmittableActionId,
    route,
    params,
    target: targetOf(route.target!, text, ACCOUNT_FALLBACK.has(route.action!)),
    requestData: any ? { RequestParameters: fields } : undefined,
  };
}

function targetOf(t: RouteTarget, text: (s: RouteSource) => string | undefined, accountFallback: boolean): TargetInput | undefined {
  switch (t.kind) {
    case 'account':
      return { type: 'account' };
    case 'namespace': {
      const name = text(t.name);
      if (name !== undefined) return { type: 'namespace', name };
      return accountFallback ? { type: 'account' } : undefined;
    }
    case 'image': {
      const reference = text(t.reference);
      return reference === undefined ? undefined : { type: 'image', reference };
    }
    case 'repository': {
      const repository = text(t.repository);
      const reference = text(t.reference);
      if (repository === undefined || reference === undefined) return undefined;
      return { type: 'image', reference: `${repository}${reference.includes(':') ? '@' : ':'}${reference}` };
    }
    case 'exemption': {
      const parts = t.parts.map(text);
      if (parts.some((p) => p === undefined)) return undefined;
      return { type: 'exemption', id: parts.join('/') };
    }
  }
}
