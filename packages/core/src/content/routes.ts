import { z } from 'zod';
import type { ContentProblem } from './problems.js';
import type { YamlSource } from './yaml.js';
import type { ActionDef } from './types.js';
import { compileTemplate, matchTemplate, type CompiledTemplate } from '../routes/template.js';
import type { RouteDef, RouteMapDef, RouteSource, RouteTarget } from '../routes/types.js';

/**
 * routes.yaml: the shape here; what relates routes to the catalog and to each other in
 * checkRoutes (unknown actions, templates that cannot match, current actions without a route).
 */
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'] as const;
const source = z.string().regex(/^(?:(?:path|query|header)\.[A-Za-z0-9_-]+|body(?:\.[A-Za-z0-9_]+)?|=.*)$/, 'expected a source: path.<param>, query.<name>, body.<key>, body, header.<Name> or =<fixed text>');

const targetSchema = z.union([
  z.literal('account'),
  z.object({ namespace: source }).strict(),
  z.object({ image: source }).strict(),
  z.object({ repository: source, reference: source }).strict(),
  z.object({ exemption: z.array(source).min(1) }).strict(),
], { errorMap: () => ({ message: 'expected account, { namespace: <source> }, { image: <source> }, { repository: <source>, reference: <source> } or { exemption: [<source>, ...] }' }) });

const routeSchema = z
  .object({
    method: z.enum(METHODS, { errorMap: () => ({ message: `expected one of ${METHODS.join(', ')}` }) }),
    path: z.string(),
    action: z.string(),
    inferred: z.boolean().optional(),
    note: z.string().min(1).optional(),
    target: targetSchema.optional(),
    request: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a field name'), source).optional(),
  })
  .strict();

export const routesSchema = z
  .object({
    routes: z.array(routeSchema).min(1),
    unrouted: z.array(z.object({ action: z.string(), reason: z.string().min(1) }).strict()),
  })
  .strict();

type RoutesYaml = z.infer<typeof routesSchema>;

function parseSource(text: string): RouteSource {
  if (text.startsWith('=')) return { from: 'const', value: text.slice(1) };
  if (text === 'body') return { from: 'body' };
  const dot = text.indexOf('.');
  const from = text.slice(0, dot) as 'path' | 'query' | 'header' | 'body';
  return { from, key: text.slice(dot + 1) };
}

function parseTarget(t: NonNullable<RoutesYaml['routes'][number]['target']>): RouteTarget {
  if (t === 'account') return { kind: 'account' };
  if ('namespace' in t) return { kind: 'namespace', name: parseSource(t.namespace) };
  if ('image' in t) return { kind: 'image', reference: parseSource(t.image) };
  if ('repository' in t) return { kind: 'repository', repository: parseSource(t.repository), reference: parseSource(t.reference) };
  return { kind: 'exemption', parts: t.exemption.map(parseSource) };
}

/** The target kind of the catalog (account, namespace, image, exemption) a route's target is. */
const catalogKind = (t: RouteTarget) => (t.kind === 'repository' ? 'image' : t.kind);

const sourcesOf = (t: RouteTarget): RouteSource[] =>
  t.kind === 'account' ? [] : t.kind === 'namespace' ? [t.name] : t.kind === 'image' ? [t.reference] : t.kind === 'repository' ? [t.repository, t.reference] : [...t.parts];

/**
 * Checks routes.yaml against the catalog. Problems name the file, line and key. Returns the
 * routes with full action ids and parsed sources.
 */
export function checkRoutes(src: YamlSource<RoutesYaml>, actions: readonly ActionDef[], serviceId: string | undefined, problems: ContentProblem[]): RouteMapDef {
  const value = src.value;
  if (!value || !serviceId) return { routes: [], unrouted: [] };
  const byId = new Map(actions.map((a) => [a.id, a]));
  const out: RouteDef[] = [];
  const compiled: (CompiledTemplate | undefined)[] = [];
  const routed = new Set<string>();

  value.routes.forEach((r, i) => {
    const at = (keys: (string | number)[], message: string) =>
      problems.push({ file: src.file, line: src.lineOf(['routes', i, ...keys]), key: `routes[${i}]${keys.length ? `.${keys.join('.')}` : ''}`, message: `${r.method} ${r.path}: ${message}` });
    const template = compileTemplate(r.path);
    if (typeof template === 'string') at(['path'], template);
    compiled.push(typeof template === 'string' ? undefined : template);
    const params = new Set(typeof template === 'string' ? [] : template.params.map((p) => p.name));
    let action: ActionDef | undefined;
    if (r.action !== 'none') {
      action = byId.get(`${serviceId}.${r.action}`);
      if (!action) at(['action'], `unknown action ${JSON.stringify(r.action)}; expected an action of actions.yaml without the ${serviceId}. prefix, or none`);
      else if (action.removed) at(['action'], `${action.id} was removed on ${action.removed}; a route generates current actions only`);
      else if (action.dataEvent === 'unclassified') at(['action'], `${action.id} is unclassified and cannot be emitted`);
      else routed.add(action.id);
      if (!r.target) at([], 'a route with an action needs a target');
    } else {
      if (r.target) at(['target'], 'a route to none generates no event and has no target');
      if (r.request) at(['request'], 'a route to none generates no event and has no request fields');
    }
    if (r.inferred && !r.note) at(['inferred'], 'an inferred route says why in a note');
    const target = r.target ? parseTarget(r.target) : undefined;
    if (target && action && !action.targets.includes(catalogKind(target))) {
      at(['target'], `${action.id} acts on ${action.targets.join(' or ')}, not on ${catalogKind(target)}`);
    }
    const request: Record<string, RouteSource> = {};
    for (const [field, text] of Object.entries(r.request ?? {})) request[field] = parseSource(text);
    const checkSource = (s: RouteSource, keys: (string | number)[]) => {
      if (s.from === 'path' && typeof template !== 'string' && !params.has(s.key)) at(keys, `path.${s.key} names no parameter of the template (it has ${[...params].join(', ') || 'none'})`);
    };
    if (r.target && target && typeof r.target === 'object') {
      const key = Object.keys(r.target)[0]!;
      sourcesOf(target).forEach((s) => checkSource(s, ['target', key]));
    }
    for (const [field, s] of Object.entries(request)) checkSource(s, ['request', field]);
    // Every request parameter the catalog lists for the action must come from somewhere.
    if (action) {
      for (const f of action.fields) {
        const m = /^requestData\.RequestParameters\.([A-Za-z0-9_]+)$/.exec(f.path);
        if (m && !Object.hasOwn(request, m[1]!)) at(['request'], `${action.id} carries ${f.path}; say where ${m[1]} comes from`);
      }
    }
    out.push({
      method: r.method,
      path: r.path,
      action: action && !action.removed ? action.id : null,
      inferred: r.inferred ?? false,
      ...(r.note ? { note: r.note } : {}),
      ...(target ? { target } : {}),
      request,
    });
  });

  // A template that cannot match: a path made from it is taken by an earlier route of the same method.
  compiled.forEach((t, i) => {
    if (!t) return;
    const route = value.routes[i]!;
    const first = compiled.findIndex((u, j) => u !== undefined && value.routes[j]!.method === route.method && matchTemplate(u, t.sample) !== undefined);
    if (first === -1) {
      problems.push({ file: src.file, line: src.lineOf(['routes', i, 'path']), key: `routes[${i}].path`, message: `${route.method} ${route.path} cannot match: not even ${t.sample} matches it` });
    } else if (first !== i) {
      const earlier = value.routes[first]!;
      problems.push({
        file: src.file,
        line: src.lineOf(['routes', i, 'path']),
        key: `routes[${i}].path`,
        message: `${route.method} ${route.path} cannot match: ${earlier.method} ${earlier.path} (routes[${first}], line ${src.lineOf(['routes', first, 'path'])}) takes its requests first`,
      });
    }
  });

  const unrouted: { action: string; reason: string }[] = [];
  value.unrouted.forEach((u, i) => {
    const id = `${serviceId}.${u.action}`;
    if (!byId.has(id)) problems.push({ file: src.file, line: src.lineOf(['unrouted', i, 'action']), key: `unrouted[${i}].action`, message: `unknown action ${JSON.stringify(u.action)}` });
    else if (routed.has(id)) problems.push({ file: src.file, line: src.lineOf(['unrouted', i, 'action']), key: `unrouted[${i}].action`, message: `${u.action} has a route; remove it from unrouted` });
    unrouted.push({ action: id, reason: u.reason });
  });

  // Every current action an API call can generate has at least one route.
  const listed = new Set(unrouted.map((u) => u.action));
  const missing = actions.filter((a) => !a.removed && a.dataEvent !== 'unclassified' && !routed.has(a.id) && !listed.has(a.id));
  if (missing.length) {
    problems.push({
      file: src.file,
      line: src.lineOf(['routes']),
      key: 'routes',
      message: `no route generates ${missing.length} current action${missing.length === 1 ? '' : 's'}: ${missing.map((a) => a.id.slice(serviceId.length + 1)).join(', ')}; add a route for each, or list it under unrouted with the reason`,
    });
  }
  return { routes: out, unrouted };
}
