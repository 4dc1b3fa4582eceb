import { listRegions, findRegion, type Region } from '../../regions/regions.js';
import { eventLocation } from '../../regions/location.js';
import { RegtrailError } from '../../errors.js';
import type { ActivityEvent } from '../../event/types.js';

/**
 * Where an event is delivered: the location segment of its `logSourceCRN` names a region (by
 * CRN location, so `us-east` is the global registry), the event-location rule in force on the
 * event's date says which location's activity tracking receives it, and the sink's URL option
 * turns that location into an ingestion URL.
 */

/** An ingestion URL template with `{location}`, a map location → URL, or a function. */
export type IngestUrl = string | Readonly<Record<string, string>> | ((location: string) => string | undefined);

export interface Route {
  readonly location: string;
  readonly url: string;
}

const byCrnLocation = new Map<string, Region>(listRegions().map((r) => [r.crnLocation, r]));

/** The location segment of a Container Registry CRN. */
function crnLocation(crn: unknown): string {
  if (typeof crn !== 'string') throw new RegtrailError('UNROUTABLE', 'logSourceCRN is missing or not a string');
  const parts = crn.split(':');
  if (parts.length < 8 || parts[0] !== 'crn' || parts[1] !== 'v1' || !parts[5]) {
    throw new RegtrailError('UNROUTABLE', `logSourceCRN ${JSON.stringify(crn.slice(0, 200))} is not a CRN crn:v1:<cname>:<ctype>:<service>:<location>:...`);
  }
  return parts[5];
}

/** The UTC calendar date of an event, from its eventTime. */
function eventDate(event: Pick<ActivityEvent, 'eventTime'>): string {
  const time = event.eventTime;
  const at = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (Number.isNaN(at)) throw new RegtrailError('UNROUTABLE', `eventTime ${JSON.stringify(time)} is not a date and time`);
  return new Date(at).toISOString().slice(0, 10);
}

export function createRouter(url: IngestUrl): (event: ActivityEvent) => Route {
  const cache = new Map<string, Route>();
  const urlFor = (location: string): string => {
    let out: string | undefined;
    if (typeof url === 'string') out = url.split('{location}').join(encodeURIComponent(location));
    else if (typeof url === 'function') out = url(location);
    else out = Object.prototype.hasOwnProperty.call(url, location) ? url[location] : undefined;
    if (!out) throw new RegtrailError('UNROUTABLE', `no ingestion URL for location ${location}`);
    let parsed: URL;
    try {
      parsed = new URL(out);
    } catch {
      throw new RegtrailError('UNROUTABLE', `ingestion URL for location ${location} is not a URL: ${JSON.stringify(out)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RegtrailError('UNROUTABLE', `ingestion URL for location ${location} must be http or https`);
    }
    if (parsed.username || parsed.password) {
      throw new RegtrailError('UNROUTABLE', `ingestion URL for location ${location} carries a user name or password; give the token with tokenEnv (sent as a bearer token)`);
    }
    return out;
  };
  return (event) => {
    const crnLoc = crnLocation(event.logSourceCRN);
    const date = eventDate(event);
    const key = `${crnLoc}\u0000${date}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const region = byCrnLocation.get(crnLoc) ?? findRegion(crnLoc);
    if (!region) throw new RegtrailError('UNROUTABLE', `CRN location ${JSON.stringify(crnLoc)} is not a registry region`);
    const { eventLocation: location } = eventLocation(region, { asOf: date });
    const route = { location, url: urlFor(location) };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, route);
    return route;
  };
}
