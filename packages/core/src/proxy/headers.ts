import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers a proxy must not forward (RFC 9110, section 7.6.1): Connection, every header that
 * Connection names, and the hop-by-hop headers of HTTP/1.1 (Proxy-Connection, Keep-Alive, TE,
 * Transfer-Encoding, Upgrade). Host is set for the upstream, and Expect is answered here (Node.js
 * sends 100 Continue itself).
 */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade', 'trailer']);

type Headers = Record<string, string | string[] | undefined>;

/** What Connection names when it is absent or only keep-alive (the usual case): nothing beyond HOP_BY_HOP. */
const NO_TOKENS: ReadonlySet<string> = new Set();

function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined || value === 'keep-alive' || value === 'Keep-Alive') return NO_TOKENS;
  const tokens = new Set<string>();
  for (const v of Array.isArray(value) ? value : [value]) for (const t of v.split(',')) tokens.add(t.trim().toLowerCase());
  return tokens;
}

/** A copy of a message's headers without its hop-by-hop headers (and without `omit`). */
export function endToEnd(headers: Headers | IncomingHttpHeaders, omit: readonly string[] = []): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || omit.includes(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/**
 * A Location header that points at the upstream, pointed at the proxy as the client reached it
 * (its Host header) instead. Relative locations and those elsewhere are left alone.
 */
export function rewriteLocation(location: string, upstream: URL, clientHost: string | undefined): string {
  if (!clientHost) return location;
  let target: URL;
  try {
    target = new URL(location);
  } catch {
    return location;
  }
  if (target.origin !== upstream.origin) return location;
  return `http://${clientHost}${target.pathname}${target.search}${target.hash}`;
}
