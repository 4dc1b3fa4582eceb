import type { ContentProblem } from './problems.js';
import type { YamlSource } from './yaml.js';
import type { RegionsYaml } from './schema.js';
import type { LocationEditionDef, RegionDef } from './types.js';

/** Every name and domain a region answers to, lower case, for lookups. */
export function regionAliases(r: RegionDef): string[] {
  const names = [r.id, r.formerName, r.domain, r.privateDomain, r.deprecatedDomain, vaDeprecatedDomain(r)];
  return [...new Set(names.filter((n): n is string => Boolean(n)))];
}

/** Vulnerability Advisor's old domain: registry.<x>.bluemix.net → va.<x>.bluemix.net. */
export function vaDeprecatedDomain(r: Pick<RegionDef, 'deprecatedDomain'>): string | undefined {
  return r.deprecatedDomain?.replace(/^registry\./, 'va.');
}

/**
 * Checks regions.yaml beyond its shape: unique ids and aliases, edition dates in order, and
 * that every region an edition names exists. Returns the editions with region ids as keys.
 */
export function checkRegions(source: YamlSource<RegionsYaml>, problems: ContentProblem[]): { regions: RegionDef[]; editions: LocationEditionDef[] } {
  const value = source.value;
  if (!value) return { regions: [], editions: [] };
  const at = (keys: (string | number)[], key: string, message: string) =>
    problems.push({ file: source.file, line: source.lineOf(keys), key, message });

  const byAlias = new Map<string, RegionDef>();
  const aliasOwner = new Map<string, number>();
  const regions = value.regions as RegionDef[];
  regions.forEach((r, i) => {
    for (const alias of regionAliases(r)) {
      const owner = aliasOwner.get(alias);
      if (owner !== undefined && regions[owner]!.id !== r.id) {
        at(['regions', i], `regions[${i}]`, `${r.id}: ${alias} already names ${regions[owner]!.id} (regions[${owner}])`);
      } else if (owner !== undefined) {
        if (alias === r.id) at(['regions', i, 'id'], `regions[${i}].id`, `duplicate region id ${r.id}`);
      }
      aliasOwner.set(alias, i);
      byAlias.set(alias, r);
    }
  });
  const knownLocations = new Set([...byAlias.keys(), ...regions.map((r) => r.crnLocation), 'global']);

  const editions: LocationEditionDef[] = [];
  const ids = new Set<string>();
  value.editions.forEach((e, i) => {
    if (ids.has(e.id)) at(['editions', i, 'id'], `editions[${i}].id`, `duplicate edition id ${e.id}`);
    ids.add(e.id);
    const previous = value.editions[i - 1];
    if (previous && e.since <= previous.since) {
      at(['editions', i, 'since'], `editions[${i}].since`, `${e.id}: ${e.since} is not after the previous edition's ${previous.since}`);
    }
    const locations: Record<string, string> = {};
    for (const [name, location] of Object.entries(e.locations)) {
      const region = byAlias.get(name);
      if (!region) at(['editions', i, 'locations', name], `editions[${i}].locations.${name}`, `${e.id}: unknown region ${name}`);
      else locations[region.id] = location;
      if (!knownLocations.has(location)) {
        at(['editions', i, 'locations', name], `editions[${i}].locations.${name}`, `${e.id}: unknown location ${location}`);
      }
    }
    editions.push({ id: e.id, since: e.since, others: e.others, locations });
  });
  return { regions, editions };
}
