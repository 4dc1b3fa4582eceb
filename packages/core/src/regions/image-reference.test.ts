import { describe, expect, it } from 'vitest';
import { parseImageReference, RegtrailError } from '../index.js';

const sha = 'a'.repeat(64);

describe('parseImageReference: valid references', () => {
  it.each([
    ['jp2.icr.io/team/app:1.4', { domain: 'jp2.icr.io', path: 'team/app', namespace: 'team', tag: '1.4', region: 'jp-osa' }],
    ['us.icr.io/ns/app:1.0', { domain: 'us.icr.io', path: 'ns/app', tag: '1.0', region: 'us-south' }],
    [`de.icr.io/ns/app@sha256:${sha}`, { path: 'ns/app', digest: `sha256:${sha}`, region: 'eu-de' }],
    [`uk.icr.io/ns/deep/nested/app:v2@sha256:${sha}`, { path: 'ns/deep/nested/app', tag: 'v2', digest: `sha256:${sha}`, region: 'eu-gb' }],
    ['private.au.icr.io/a-b/c__d/e.f:latest', { path: 'a-b/c__d/e.f', region: 'au-syd' }],
    ['registry.ng.bluemix.net/old/app', { region: 'us-south', tag: undefined }],
    ['icr.io/ibm/liberty:23', { region: 'global', namespace: 'ibm' }],
    ['localhost:5000/team/app:1', { host: 'localhost', port: 5000, region: undefined }],
    ['registry.example.com:8443/a/b', { port: 8443, region: undefined }],
    ['[::1]:5000/app', { host: '[::1]', port: 5000 }],
    ['ubuntu', { domain: undefined, path: 'ubuntu', region: undefined }],
    ['library/ubuntu:22.04', { domain: undefined, path: 'library/ubuntu' }],
    [`us.icr.io/ns/app:${'t'.repeat(128)}`, { region: 'us-south' }],
    ['us.icr.io/ns/a--b---c:_under', { path: 'ns/a--b---c', tag: '_under', region: 'us-south' }],
    [`us.icr.io/ns/app@sha512:${'b'.repeat(128)}`, { digest: `sha512:${'b'.repeat(128)}`, region: 'us-south' }],
    [`us.icr.io/ns/app@foo+bar:${'C'.repeat(32)}`, { digest: `foo+bar:${'C'.repeat(32)}`, region: 'us-south' }],
  ])('%s', (ref, expected) => {
    const parsed = parseImageReference(ref);
    const { region, ...rest } = expected as Record<string, unknown>;
    expect(parsed).toMatchObject(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    for (const [k, v] of Object.entries(rest)) if (v === undefined) expect(parsed).not.toHaveProperty(k);
    expect(parsed.region?.id).toBe(region);
  });
});

describe('parseImageReference: malformed references are rejected with the reason', () => {
  it.each([
    ['', /empty/],
    ['us.icr.io/Team/app', /"Team" must be lower case/],
    ['us.icr.io/team//app', /path component 2 is empty/],
    ['us.icr.io/team/app/', /path component 3 is empty/],
    ['us.icr.io/', /names no repository/],
    ['us.icr.io/team/-app', /must start and end with a letter or digit/],
    ['us.icr.io/team/app.', /must start and end with a letter or digit/],
    ['us.icr.io/team/a..b', /invalid separator/],
    ['us.icr.io/team/a___b', /invalid separator/],
    ['us.icr.io/team/a$b', /may hold only/],
    ['us.icr.io/ns/app:', /tag after ':' is empty/],
    [`us.icr.io/ns/app:${'t'.repeat(129)}`, /129 characters long; at most 128/],
    ['us.icr.io/ns/app:-bad', /tag "-bad"/],
    ['us.icr.io/ns/app:bad!', /tag "bad!"/],
    ['us.icr.io/ns/app@sha256:abc', /sha256 digest must have 64 hex characters, not 3/],
    [`us.icr.io/ns/app@sha256:${'A'.repeat(64)}`, /lower-case hexadecimal/],
    [`us.icr.io/ns/app@sha256:${'g'.repeat(64)}`, /lower-case hexadecimal/],
    [`us.icr.io/ns/app@${sha}`, /must be algorithm:hex/],
    ['us.icr.io/ns/app@1sha:' + 'a'.repeat(32), /digest algorithm "1sha"/],
    ['us.icr.io/ns/app@foo:abc', /at least 32 hex/],
    [`us.icr.io/ns/app@sha256:${sha}@sha256:${sha}`, /more than one '@'/],
    ['us.icr.io:abc/ns/app', /port "abc"/],
    ['-bad.icr.io/ns/app', /not a valid host name/],
    ['us.icr.io/ns/app name', /white space/],
    [`us.icr.io/${'a'.repeat(250)}`, /at most 255/],
    [':tag', /names no repository/],
  ])('%j', (ref, reason) => {
    let error: unknown;
    try {
      parseImageReference(ref);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RegtrailError);
    expect((error as Error).message).toMatch(/^invalid image reference /);
    expect((error as Error).message).toMatch(reason);
  });
});
