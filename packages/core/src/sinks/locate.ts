import { listRegions, findRegion, type Region } from '../regions/regions.js';
import { eventLocation } from '../regions/location.js';
import { RegtrailError } from '../errors.js';
import type { ActivityEvent } from '../event/types.js';

/**
 * Where an event is delivered: the location segment of its `logSourceCRN` names a region (by
 * CRN location, so `us-east` is the global registry), and the event-location rule in force on the
 * event's date says which location's activity tracking receives it. Every sink that routes by
 * location (the HTTP sink's URL per location, the JetStream sink's subject per location) asks this.
 */
export type EventLocator = (event: Pick<ActivityEvent, 'logSourceCRN' | 'eventTime'>) => string;

const byCrnLocation = new Map<string, Region>(listRegions().map((r) => [r.crnLocation, r]));

const NOTHING = Symbol('nothing read yet');

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

/**
 * A function from an event to the location whose activity tracking receives it (such as
 * `us-south` or `eu-de`); it throws RegtrailError UNROUTABLE when the event names no registry
 * region or no rule covered it on its date. Answers are cached per CRN location and day (bounded).
 */
export function createEventLocator(): EventLocator {
  const cache = new Map<string, string>();
  // The last CRN and event time, and what they gave: the events of one emitter share their
  // logSourceCRN, and those of one burst their time, so most events skip the split and the parse.
  // (They start as a value no event field can be, and are set only once the value was read without error.)
  let lastCrn: unknown = NOTHING;
  let lastLoc = '';
  let lastTime: unknown = NOTHING;
  let lastDate = '';
  return (event) => {
    let crnLoc = lastLoc;
    if (event.logSourceCRN !== lastCrn) {
      crnLoc = crnLocation(event.logSourceCRN);
      lastCrn = event.logSourceCRN;
      lastLoc = crnLoc;
    }
    let date = lastDate;
    if (event.eventTime !== lastTime) {
      date = eventDate(event);
      lastTime = event.eventTime;
      lastDate = date;
    }
    const key = `${crnLoc}\u0000${date}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const region = byCrnLocation.get(crnLoc) ?? findRegion(crnLoc);
    if (!region) throw new RegtrailError('UNROUTABLE', `CRN location ${JSON.stringify(crnLoc)} is not a registry region`);
    const { eventLocation: location } = eventLocation(region, { asOf: date });
    if (cache.size > 10_000) cache.clear();
    cache.set(key, location);
    return location;
  };
}
