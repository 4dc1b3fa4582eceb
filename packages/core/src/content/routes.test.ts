import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../index.js';
import { contentWith, problemsOf, removeScratch } from '../../test/content.js';
import { contentDir } from '../../test/paths.js';

const routesWith = (edit: (text: string) => string) => contentWith('catalog/routes.yaml', edit);
afterEach(removeScratch);

const yaml = fs.readFileSync(path.join(contentDir, 'catalog/routes.yaml'), 'utf8');
const lineOf = (needle: string) => {
  const at = yaml.indexOf(needle);
  expect(at, needle).toBeGreaterThan(-1);
  return yaml.slice(0, at).split('\n').length;
};

describe('routes.yaml', () => {
  it('loads, and every current action has a route', () => {
    const { routes, actions } = loadContent(contentDir);
    const routed = new Set(routes.routes.map((r) => r.action));
    const current = actions.filter((a) => !a.removed && a.dataEvent !== 'unclassified');
    expect(current.length).toBe(34);
    expect(current.filter((a) => !routed.has(a.id)).map((a) => a.id)).toEqual([]);
    expect(routes.unrouted).toEqual([]);
  });

  // Each row: what is wrong, the edit, and what the one problem says (file:line key message).
  const cases: [string, (t: string) => string, RegExp][] = [
    ['an unknown action', (t) => t.replace('path: /api/v1/namespaces/details\n    action: namespace.list', 'path: /api/v1/namespaces/details\n    action: namespace.lst'),
      new RegExp(`routes\\.yaml:${lineOf('action: namespace.list\n    inferred')} routes\\[\\d+\\]\\.action GET /api/v1/namespaces/details: unknown action "namespace.lst"`)],
    ['a removed action', (t) => t.replace('path: /api/v1/namespaces/details\n    action: namespace.list', 'path: /api/v1/namespaces/details\n    action: registrytokens.delete'),
      /routes\.yaml:\d+ routes\[\d+\]\.action GET \/api\/v1\/namespaces\/details: container-registry\.registrytokens\.delete was removed on 2021-08-23/],
    ['a template another route shadows', (t) => t.replace("path: '/va/api/v4/report/image/status/{name:image}'", "path: '/va/api/v4/report/image/{name:image}'"),
      new RegExp(`routes\\.yaml:${lineOf("path: '/va/api/v4/report/image/{name:image}'")} routes\\[\\d+\\]\\.path GET /va/api/v4/report/image/\\{name:image\\} cannot match: GET /va/api/v4/report/image/\\{name:image\\} \\(routes\\[\\d+\\], line ${lineOf("path: '/va/api/v4/report/image/status/{name:image}'")}\\) takes its requests first`)],
    ['a template with a bad parameter', (t) => t.replace("path: '/api/v1/namespaces/{name}', action: namespace.create", "path: '/api/v1/namespaces/{name:nope}', action: namespace.create"),
      /routes\.yaml:\d+ routes\[\d+\]\.path PUT \/api\/v1\/namespaces\/\{name:nope\}: unknown parameter kind nope/],
    ['a template that is not a path', (t) => t.replace('path: /api/v1/quotas, action: quota.get', 'path: api/v1/quotas, action: quota.get'),
      /routes\.yaml:\d+ routes\[\d+\]\.path GET api\/v1\/quotas: a path template starts with \//],
    ['a parameter that does not fill its segment', (t) => t.replace("path: '/api/v1/namespaces/{name}', action: namespace.create", "path: '/api/v1/namespaces/x{name}', action: namespace.create"),
      /routes\[\d+\]\.path PUT \/api\/v1\/namespaces\/x\{name\}: a parameter fills a whole path segment/],
    ['a source naming no parameter', (t) => t.replace("target: { namespace: path.name }, request: { account: header.Account } }\n  - { method: PATCH", "target: { namespace: path.nam }, request: { account: header.Account } }\n  - { method: PATCH"),
      /routes\[\d+\]\.target\.namespace PUT \/api\/v1\/namespaces\/\{name\}: path\.nam names no parameter of the template \(it has name\)/],
    ['a target the action does not act on', (t) => t.replace('action: plan.get, target: account', 'action: plan.get, target: { namespace: query.x }'),
      /routes\[\d+\]\.target GET \/api\/v1\/plans: container-registry\.plan\.get acts on account, not on namespace/],
    ['a catalog request field with no source', (t) => t.replace("request: { account: header.Account, name: path.name } }\n  - { method: GET, path: '/va/api/v4/report/image/{name:image}'", "request: { account: header.Account } }\n  - { method: GET, path: '/va/api/v4/report/image/{name:image}'"),
      /routes\[\d+\]\.request GET \/va\/api\/v4\/report\/image\/status\/\{name:image\}: container-registry\.image-vulnerability-status\.read carries requestData\.RequestParameters\.name; say where name comes from/],
  ];
  it.each(cases)('reports %s with file, line and key', (_, edit, expected) => {
    const problems = problemsOf(routesWith(edit));
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  it('lists every current action that no route generates', () => {
    const problems = problemsOf(routesWith((t) => t.replace(/action: quota\.(get|set)/g, 'action: none').replace(/\n {4}request: \{ account: header\.Account, storage_megabytes[^\n]*/, '').replace("action: none, target: account, request: { account: header.Account } }\n  - method: PATCH\n    path: /api/v1/quotas", "action: none }\n  - method: PATCH\n    path: /api/v1/quotas").replace("path: /api/v1/quotas\n    action: none\n    target: account\n", "path: /api/v1/quotas\n    action: none\n")));
    expect(problems).toEqual([expect.stringMatching(/routes\.yaml:\d+ routes no route generates 2 current actions: quota\.get, quota\.set; add a route for each, or list it under unrouted with the reason/)]);
  });

  it('accepts an action listed under unrouted instead, and refuses one listed there that has a route', () => {
    const dir = routesWith((t) => t.replace('unrouted: []', 'unrouted:\n  - { action: plan.get, reason: test }'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/routes\.yaml:\d+ unrouted\[0\]\.action plan\.get has a route; remove it from unrouted/)]);
  });
});
