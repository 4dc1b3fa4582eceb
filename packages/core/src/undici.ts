import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The parts of undici that regtrail uses (a keep-alive Agent for the HTTP sink, a Pool for the
 * proxy, and the `request` API), loaded from undici's own files without its index. The index also
 * loads fetch, WebSocket, EventSource, the cache stores and the mocks: 2.6 MB more live heap in
 * every delivering process, which V8 lets grow about fourfold before it collects (peak RSS).
 *
 * These paths are undici's internals, not its documented entry points: `undici.test.ts` checks that
 * each is the very object undici's index exports, so an undici release that moves them fails the
 * tests instead of the sink.
 */
const load = createRequire(import.meta.url);

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export const Pool = load('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'>;
/** undici's `Dispatcher.prototype.request`, which its index installs on every dispatcher. */
export const requestOn = load('undici/lib/api/api-request.js') as (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;

/** `request(url, { dispatcher, ... })` as undici's index has it: the URL split into origin and path. */
export function request(dispatcher: Undici.Dispatcher, url: string, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const u = new URL(url);
  return requestOn.call(dispatcher, { ...options, origin: u.origin, path: u.search ? `${u.pathname}${u.search}` : u.pathname });
}
