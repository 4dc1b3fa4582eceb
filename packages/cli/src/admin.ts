import type { AddressInfo } from 'node:net';
import { RegtrailError } from '@regtrail/core/catalog';
import type { Registry } from 'prom-client';
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

/** `host:port` (or `[v6]:port`) from --admin-listen; a one-line error otherwise. */
export function parseListen(text: string, option = '--admin-listen'): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new RegtrailError('BAD_OPTION', `invalid ${option} ${JSON.stringify(text)}: expected host:port, such as 127.0.0.1:9464`);
  return { host: m[1] ?? m[2]!, port };
}

export async function startAdmin(listen: string, registry: Registry, health: () => { ok: boolean } & Record<string, unknown>): Promise<AdminServer> {
  const { host, port } = parseListen(listen);
  const server = adminServer(registry, health);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new RegtrailError('BAD_OPTION', `cannot listen on --admin-listen ${listen}: ${err.code ?? err.message}`)));
    server.listen(port, host, () => resolve());
  });
  server.unref();
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
