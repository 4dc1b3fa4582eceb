import { RegtrailError, showValue } from '../errors.js';
import { findRegion, type Region } from './regions.js';

/**
 * Image references, by the grammar of the OCI distribution reference implementation
 * (github.com/distribution/reference): the same character classes, the same rule for telling a
 * domain from a path component, the 128-character tag and 255-character name limits, and digests
 * checked as go-digest checks them. Hand-written rather than taken from npm so that each rejection
 * can say exactly what is wrong.
 */

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = new RegExp(`^${ALNUM}(?:${SEPARATOR}${ALNUM})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const NAME_MAX = 255;
/** Encoded lengths of the algorithms go-digest knows; their hex must be lower case. */
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  /** What was parsed, unchanged. */
  readonly reference: string;
  /** Registry host and port as written, such as `us.icr.io` or `localhost:5000`; absent when the reference names none. */
  readonly domain?: string;
  readonly host?: string;
  readonly port?: number;
  /** The repository path inside the registry: `team/app`. */
  readonly path: string;
  /** Domain and path: `us.icr.io/team/app`. */
  readonly name: string;
  /** First path component; in Container Registry, the namespace. */
  readonly namespace: string;
  readonly tag?: string;
  readonly digest?: string;
  /** The registry region the image lives in; absent for references to other registries. */
  readonly region?: Region;
}

function reject(reference: unknown, reason: string): never {
  throw new RegtrailError('BAD_IMAGE_REFERENCE', `invalid image reference ${showValue(reference, 300)}: ${reason}`);
}

/** Checks a digest (`sha256:<hex>`) as go-digest does; throws naming `reference` when it is malformed. */
export function checkDigest(reference: string, digest: string): void {
  const colon = digest.indexOf(':');
  if (colon < 0) reject(reference, `digest ${JSON.stringify(digest)} must be algorithm:hex, such as sha256:<64 hex characters>`);
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (!DIGEST_ALGORITHM.test(algorithm)) reject(reference, `digest algorithm ${JSON.stringify(algorithm)} is not valid`);
  const expected = DIGEST_LENGTHS[algorithm];
  if (expected !== undefined) {
    if (!/^[a-f0-9]*$/.test(hex)) reject(reference, `${algorithm} digest must be lower-case hexadecimal`);
    if (hex.length !== expected) reject(reference, `${algorithm} digest must have ${expected} hex characters, not ${hex.length}`);
  } else if (!/^[0-9a-fA-F]{32,}$/.test(hex)) {
    reject(reference, 'digest must have at least 32 hex characters');
  }
}

function checkPathComponent(reference: string, component: string, index: number): void {
  if (component === '') reject(reference, `path component ${index + 1} is empty`);
  if (PATH_COMPONENT.test(component)) return;
  if (PATH_COMPONENT.test(component.toLowerCase())) reject(reference, `path component ${JSON.stringify(component)} must be lower case`);
  if (/^[._-]|[._-]$/.test(component)) reject(reference, `path component ${JSON.stringify(component)} must start and end with a letter or digit`);
  if (/[^a-z0-9._-]/i.test(component)) reject(reference, `path component ${JSON.stringify(component)} may hold only a-z, 0-9, '.', '_' and '-'`);
  reject(reference, `path component ${JSON.stringify(component)} has an invalid separator (one '.', one or two '_', or '-'s)`);
}

/** Parses an image reference such as `jp2.icr.io/team/app:1.4`; throws with the reason when it is malformed. */
export function parseImageReference(reference: string): ImageReference {
  if (typeof reference !== 'string') reject(reference, 'an image reference is a string');
  if (reference.length === 0) reject(reference, 'it is empty');
  if (/\s/.test(reference)) reject(reference, 'it contains white space');

  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (digest.includes('@')) reject(reference, "more than one '@'");
    checkDigest(reference, digest);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') reject(reference, "the tag after ':' is empty");
    if (tag.length > 128) reject(reference, `the tag is ${tag.length} characters long; at most 128 are allowed`);
    if (!TAG.test(tag)) reject(reference, `tag ${JSON.stringify(tag)} may hold only letters, digits, '_', '.' and '-', and must not start with '.' or '-'`);
  }

  if (rest === '') reject(reference, 'it names no repository');
  if (rest.length > NAME_MAX) reject(reference, `the name is ${rest.length} characters long; at most ${NAME_MAX} are allowed`);

  const parts = rest.split('/');
  let domain: string | undefined;
  const first = parts[0]!;
  // As in the reference implementation: the first part is a domain if it could not be a path component.
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = parts.shift()!;
  }
  let host: string | undefined;
  let port: number | undefined;
  if (domain !== undefined) {
    const m = /^(.*?)(?::([^:\]]*))?$/.exec(domain)!;
    host = m[1]!;
    if (m[2] !== undefined) {
      if (!/^[0-9]+$/.test(m[2])) reject(reference, `port ${JSON.stringify(m[2])} of ${domain} is not a number`);
      port = Number(m[2]);
    }
    if (!host || !HOST.test(host)) reject(reference, `domain ${JSON.stringify(domain)} is not a valid host name`);
  }
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '')) reject(reference, 'it names no repository');
  for (let i = 0; i < parts.length; i++) checkPathComponent(reference, parts[i]!, i);

  // The path is the reference's own text between domain and tag: no need to join the parts again.
  const path = domain !== undefined ? rest.slice(domain.length + 1) : rest;
  // A registry host with an explicit port (us.icr.io:443) is the same registry.
  const region = host !== undefined ? findRegion(host) : undefined;
  return {
    reference,
    ...(domain !== undefined ? { domain, host: host! } : {}),
    ...(port !== undefined ? { port } : {}),
    path,
    name: rest,
    namespace: parts[0]!,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    ...(region ? { region } : {}),
  };
}
