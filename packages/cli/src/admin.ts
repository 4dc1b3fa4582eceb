import type { Registry } from 'prom-client';
import { listen } from './serve/listen.js';
import { adminServer } from './serve/metrics.js';

/**
 * The relay's admin endpoint (`--admin-listen host:port`): the admin listener of serve/metrics.ts
 * (`/metrics`, and `/healthz` answering 200 when healthy and 503 when not), started and stopped.
 */
export interface AdminServer {
  /** `http://host:port` it listens on (the port the system chose when given 0). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startAdmin(listenOn: string, registry: Registry, health: () => { ok: boolean } & Record<string, unknown>): Promise<AdminServer> {
  const server = adminServer(registry, health);
  // The same host:port grammar, and the same errors, as the proxy's --admin-listen and --listen.
  const address = await listen(server, '--admin-listen', listenOn);
  server.unref();
  return {
    url: `http://${address}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
