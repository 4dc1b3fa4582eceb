import { content } from '../generated/content.js';
import type { RegionDef } from '../content/types.js';
import { regionAliases, vaDeprecatedDomain } from '../content/regions.js';
import { RegtrailError, showValue } from '../errors.js';
import { closest } from '../suggest.js';

export type RegionId = (typeof content.regions)[number]['id'];

export interface Region extends RegionDef {
  readonly id: RegionId;
  /** Where Vulnerability Advisor answered before icr.io, such as va.ng.bluemix.net. */
  readonly vaDeprecatedDomain?: string;
}

const regions: readonly Region[] = content.regions.map((r: RegionDef) => {
  const va = vaDeprecatedDomain(r);
  return { ...r, ...(va ? { vaDeprecatedDomain: va } : {}) } as Region;
});
const byAlias = new Map<string, Region>(regions.flatMap((r) => regionAliases(r).map((a) => [a, r] as const)));

/** Every registry region, the global registry last. */
export function listRegions(): readonly Region[] {
  return regions;
}

export function getRegion(id: RegionId): Region {
  return resolveRegion(id);
}

/**
 * Finds the region a piece of text names: a region (today's name or the former one), a registry
 * domain (public, private or deprecated), Vulnerability Advisor's `<domain>/va` or
 * `va.<x>.bluemix.net`, in any case, with or without `https://`.
 */
export function resolveRegion(text: string): Region {
  const found = findRegion(text);
  if (!found) {
    // The closest region name or domain, by edit distance, as a hint.
    const near = typeof text === 'string' ? closest(text.replace(/^\s*https?:\/\//i, ''), [...byAlias.keys()]) : undefined;
    throw new RegtrailError(
      'UNKNOWN_REGION',
      `unknown region or registry domain ${showValue(text)}; ${near ? `did you mean ${near}? ` : ''}expected a region such as jp-tok or ap-north, or a domain such as jp.icr.io`,
    );
  }
  return found;
}

/** Like resolveRegion, but undefined instead of an error. */
const isDigits = (s: string, from: number): boolean => {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

export function findRegion(text: string): Region | undefined {
  if (typeof text !== 'string') return undefined;
  let key = text.trim().toLowerCase().replace(/^https?:\/\//, '');
  // Trailing slashes, by hand: /\/+$/ backtracks quadratically over a long run of them (a regular
  // expression engine retries the run from each of its slashes).
  let end = key.length;
  while (end > 0 && key.charCodeAt(end - 1) === 47) end--;
  key = key.slice(0, end);
  // A registry domain with an explicit port (us.icr.io:443) is the same registry.
  const colon = key.lastIndexOf(':');
  if (colon > 0 && colon < key.length - 1 && isDigits(key, colon + 1)) key = key.slice(0, colon);
  // <domain>/va is Vulnerability Advisor of that region, nothing else may follow a domain here.
  if (key.endsWith('/va')) key = key.slice(0, -'/va'.length);
  return byAlias.get(key);
}
