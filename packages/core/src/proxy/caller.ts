import { BlockList, isIP } from 'node:net';
import { RegtrailError } from '../errors.js';
import { initiatorKindOf } from '../event/model.js';
import type { InitiatorInput } from '../event/input.js';

/**
 * Who made a request, and from where, from its headers and its connection. Credentials are read
 * for the name they carry and dropped at once: no secret leaves this module.
 */

/** The caller of a request without credentials. */
const ANONYMOUS = 'anonymous';
/** The user name that says the password is an IAM API key. */
const APIKEY_USER = 'iamapikey';
/** Longest caller id kept (a JWT claim or a user name is the client's text). */
const MAX_ID = 256;
/** Longest user agent kept. */
const MAX_AGENT = 256;

type Caller = Pick<InitiatorInput, 'id' | 'name' | 'type' | 'credential'>;

const clean = (text: string, max: number) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, max);

function caller(id: string, credential: NonNullable<InitiatorInput['credential']>): Caller {
  const safe = clean(id, MAX_ID) || ANONYMOUS;
  return { id: safe, name: safe, type: initiatorKindOf(safe) ?? 'user', credential };
}

/** The IAM id a JWT names (`iam_id`, else `sub`), read without verifying the token; undefined when it is not a JWT that names one. */
function jwtSubject(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (claims === null || typeof claims !== 'object') return undefined;
    const { iam_id: iamId, sub } = claims as Record<string, unknown>;
    if (typeof iamId === 'string' && iamId !== '') return iamId;
    if (typeof sub === 'string' && sub !== '') return sub;
  } catch {
    // Not base64url JSON: not a JWT.
  }
  return undefined;
}

/**
 * The caller an Authorization header names: a Basic user (credential `user`, or `apikey` for the
 * user name `iamapikey`), a Bearer JWT's `iam_id` or `sub` (credential `token`), or `anonymous`
 * (credential `public-access`) without credentials.
 */
export function callerOf(authorization: string | undefined): Caller {
  if (!authorization) return caller(ANONYMOUS, 'public-access');
  const space = authorization.indexOf(' ');
  const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : authorization.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    return caller(user, user === APIKEY_USER ? 'apikey' : 'user');
  }
  if (scheme === 'bearer') return caller(jwtSubject(value) ?? 'unknown', 'token');
  return caller('unknown', 'token');
}

/** Trusted proxy ranges, as CIDRs (10.0.0.0/8, fd00::/8) or single addresses. */
export function trustedProxies(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const text of cidrs) {
    const [address = '', bits] = text.split('/');
    const family = isIP(address);
    if (family === 0) throw new RegtrailError('BAD_OPTIONS', `invalid trusted proxy ${JSON.stringify(text)}: expected a CIDR such as 10.0.0.0/8 or an IP address`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) throw new RegtrailError('BAD_OPTIONS', `invalid trusted proxy ${JSON.stringify(text)}: the prefix length must be 0-${family === 4 ? 32 : 128}`);
    list.addSubnet(address, prefix, type);
  }
  return list;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
const plain = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

const trusted = (list: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/**
 * The client's address: the connection's peer, or, when the peer is a trusted proxy, the last
 * address of X-Forwarded-For that is not a trusted proxy (read from the right, as each proxy
 * appends the address it saw). An X-Forwarded-For from anyone else is ignored.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, proxies: BlockList | undefined): string {
  const address = plain(peer ?? '');
  if (!proxies || !forwardedFor || !trusted(proxies, address)) return isIP(address) ? address : '';
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => plain(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return address;
    if (!trusted(proxies, hop)) return hop;
  }
  return hops[0] && isIP(hops[0]) ? hops[0] : address;
}

/** The user agent, without control characters, at most 256 characters. */
export const agentOf = (userAgent: string | undefined): string | undefined => (userAgent ? clean(userAgent, MAX_AGENT) || undefined : undefined);
