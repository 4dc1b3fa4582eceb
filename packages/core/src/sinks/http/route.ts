import { RegtrailError } from '../../errors.js';
import type { ActivityEvent } from '../../event/types.js';
import { createEventLocator } from '../locate.js';

/**
 * Where an event is delivered: its location (see createEventLocator), and the sink's URL option
 * turns that location into an ingestion URL.
 */

/** An ingestion URL template with `{location}`, a map location → URL, or a function. */
export type IngestUrl = string | Readonly<Record<string, string>> | ((location: string) => string | undefined);

export interface Route {
  readonly location: string;
  readonly url: string;
}

export function createRouter(url: IngestUrl): (event: ActivityEvent) => Route {
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
  const locate = createEventLocator();
  const routes = new Map<string, Route>();
  return (event) => {
    const location = locate(event);
    let route = routes.get(location);
    if (!route) {
      route = { location, url: urlFor(location) };
      routes.set(location, route);
    }
    return route;
  };
}
