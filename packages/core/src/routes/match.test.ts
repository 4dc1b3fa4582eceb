import { describe, expect, it } from 'vitest';
import { findRoute, listRoutes, matchRoute } from '../entry/catalog.js';
import { compileTemplate, type CompiledTemplate } from './template.js';

const D = `sha256:${'ab'.repeat(32)}`;
const ctx = { publicHost: 'us.icr.io' };

describe('matchRoute', () => {
  // method, path, context → action, target, requestData (undefined: no event)
  const cases: [string, string, Parameters<typeof matchRoute>[2], string | undefined, unknown?, unknown?][] = [
    ['GET', '/v2/ns/app/manifests/1.0', ctx, 'container-registry.image.pull', { type: 'image', reference: 'us.icr.io/ns/app:1.0' }],
    ['GET', '/v2/ns/team/app/manifests/1.0', ctx, 'container-registry.image.pull', { type: 'image', reference: 'us.icr.io/ns/team/app:1.0' }],
    ['get', `/v2/ns/app/manifests/${D}`, ctx, 'container-registry.image.pull', { type: 'image', reference: `us.icr.io/ns/app@${D}` }],
    ['PUT', '/v2/ns/app/manifests/latest', ctx, 'container-registry.image.push', { type: 'image', reference: 'us.icr.io/ns/app:latest' }],
    ['DELETE', `/v2/ns/app/manifests/${D}`, ctx, 'container-registry.image.delete', { type: 'image', reference: `us.icr.io/ns/app@${D}` }],
    // A tag is not a digest: deleting by tag is not in the protocol, and generates nothing.
    ['DELETE', '/v2/ns/app/manifests/latest', ctx, undefined],
    ['HEAD', '/v2/ns/app/manifests/latest', ctx, undefined],
    ['GET', '/v2/', ctx, undefined],
    ['GET', `/v2/ns/app/blobs/${D}`, ctx, undefined],
    ['PATCH', '/v2/ns/app/blobs/uploads/5d0b', ctx, undefined],
    ['GET', '/v2/NS/app/manifests/latest', ctx, undefined],
    ['GET', '/nowhere', ctx, undefined],
    ['GET', `/extensions/v2/ns/app/signatures/${D}`, ctx, 'container-registry.signature.read', { type: 'image', reference: `us.icr.io/ns/app@${D}` },
      { RequestParameters: { repository: 'us.icr.io/ns/app', signatureMethod: 'simple-signing', signatureObject: 'image' } }],
    ['GET', '/api/v1/images?namespace=ns&includeIBM=true', { headers: { account: 'acct1' } }, 'container-registry.image.list', { type: 'namespace', name: 'ns' },
      { RequestParameters: { account: 'acct1', namespace: 'ns', includeIBM: 'true' } }],
    ['GET', '/api/v1/images', {}, 'container-registry.image.list', { type: 'account' }],
    ['POST', '/api/v1/retentions', { body: { images_per_repo: 3 } }, 'container-registry.retention.set', undefined, { RequestParameters: { images_per_repo: 3 } }],
    ['POST', '/api/v1/retentions', { body: { namespace: 'ns', images_per_repo: 3, retain_untagged: false } }, 'container-registry.retention.set', { type: 'namespace', name: 'ns' },
      { RequestParameters: { namespace: 'ns', images_per_repo: 3, retain_untagged: false } }],
    ['POST', '/api/v1/images/bulkdelete', { body: ['us.icr.io/ns/a:1'], headers: new Headers({ Account: 'a2' }) }, 'container-registry.image.bulkdelete', { type: 'account' },
      { RequestParameters: { account: 'a2', images: ['us.icr.io/ns/a:1'] } }],
    ['DELETE', `/api/v1/images/${encodeURIComponent('us.icr.io/ns/app:1')}`, {}, 'container-registry.image.delete', { type: 'image', reference: 'us.icr.io/ns/app:1' }],
    ['GET', '/api/v1/images/%E0%A4%A/json', {}, undefined],
    ['POST', '/va/api/v4/exempt/image/issue/cve/CVE-2023-44487', {}, 'container-registry.exemption.create', { type: 'exemption', id: 'cve/CVE-2023-44487' }],
    ['PATCH', '/api/v1/namespaces/ns', {}, undefined],
  ];
  it.each(cases)('%s %s', (method, path, context, action, target, requestData) => {
    const m = matchRoute(method, path, context);
    expect(m?.action).toBe(action);
    if (action === undefined) return;
    if (target !== undefined || method === 'POST') expect(m!.target).toEqual(target);
    if (requestData !== undefined) expect(m!.requestData).toEqual(requestData);
  });

  it('finds every route of the map from a path made from its own template', () => {
    for (const r of listRoutes()) {
      const sample = (compileTemplate(r.path) as CompiledTemplate).sample;
      expect(findRoute(r.method, sample)?.route, `${r.method} ${r.path}`).toBe(r);
      expect(matchRoute(r.method, sample, ctx)?.action).toBe(r.action ?? undefined);
    }
  });
});
