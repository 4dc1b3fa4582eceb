import { content } from '../generated/content.js';
import type { LocationEditionDef } from '../content/types.js';
import { RegtrailError, showValue } from '../errors.js';
import { toIsoDate, today, type IsoDate } from '../dates.js';
import { listRegions, resolveRegion, type Region, type RegionId } from './regions.js';

/** One edition of the event-location rule, with the date it stopped being in force. */
export interface LocationEdition extends LocationEditionDef {
  /** The day the next edition took over; absent for the edition in force today. */
  readonly until?: IsoDate;
}

export interface EventLocation {
  /** The region the event belongs to. */
  readonly region: RegionId;
  /** The location whose activity tracking shows the event, named as the edition named it. */
  readonly eventLocation: string;
  /** The edition in force on `asOf`. */
  readonly edition: string;
  readonly asOf: IsoDate;
}

const editions: readonly LocationEdition[] = content.locationEditions.map((e: LocationEditionDef, i, all) => {
  const next = all[i + 1];
  return next ? { ...e, until: next.since } : { ...e };
});

/** Every edition of the rule, oldest first. */
export function locationEditions(): readonly LocationEdition[] {
  return editions;
}

/** The edition in force on a date; an error before the first one. */
export function locationEditionOn(asOf: IsoDate | Date = today()): LocationEdition {
  const date = toIsoDate(asOf, 'asOf date');
  const found = [...editions].reverse().find((e) => e.since <= date);
  if (!found) {
    throw new RegtrailError('NO_RULE', `no event-location rule was in force on ${date}; the first took effect on ${editions[0]!.since}`);
  }
  return found;
}

/** The location of one region under one edition; undefined when the edition did not cover it. */
export function locationUnder(edition: LocationEditionDef, region: Region): string | undefined {
  const stated = edition.locations[region.id];
  if (stated) return stated;
  return edition.others === 'same' ? region.id : undefined;
}

/** A Region object as listRegions returns it (or one with the id of one); anything else is an error. */
function asRegion(value: unknown): Region {
  const regions = listRegions();
  if (regions.includes(value as Region)) return value as Region;
  const id = value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  const found = typeof id === 'string' ? regions.find((r) => r.id === id) : undefined;
  if (!found) throw new RegtrailError('UNKNOWN_REGION', `expected a region (a name, a domain or a Region), not ${showValue(value)}`);
  return found;
}

/**
 * Where the events of a region (given by any of its names or domains) can be found, under the
 * edition of the rule in force on `asOf` (today by default).
 */
export function eventLocation(regionOrDomain: string | Region, options: { asOf?: IsoDate | Date } = {}): EventLocation {
  const region = typeof regionOrDomain === 'string' ? resolveRegion(regionOrDomain) : asRegion(regionOrDomain);
  if (options == null || typeof options !== 'object') {
    throw new RegtrailError('BAD_OPTION', `eventLocation options must be an object such as { asOf: '2019-06-21' }, not ${showValue(options)}`);
  }
  const edition = locationEditionOn(options.asOf ?? today());
  const location = locationUnder(edition, region);
  if (!location) {
    throw new RegtrailError(
      'NOT_COVERED',
      `the rule in force on ${toIsoDate(options.asOf ?? today())} (${edition.id}, from ${edition.since}) does not cover ${region.id}: the region was not part of it`,
    );
  }
  return { region: region.id, eventLocation: location, edition: edition.id, asOf: toIsoDate(options.asOf ?? today()) };
}
