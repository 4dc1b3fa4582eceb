import http from 'node:http';
import { isIP } from 'node:net';
import { RegtrailError } from '@regtrail/core/catalog';

/** `127.0.0.1:5001`, `[::1]:5001` or `:5001` (every interface) → host and port; a one-line error naming `option` otherwise. */
export function parseListen(option: string, text: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const host = m ? (m[1] ?? m[2]) : undefined;
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535) || (m[1] !== undefined && isIP(m[1]) !== 6)) {
    throw new RegtrailError('BAD_OPTION', `invalid ${option} ${JSON.stringify(text)}: expected host:port, such as 127.0.0.1:5001 or [::1]:5001`);
  }
  return { host: host === '' ? undefined : host, port };
}

/** Starts a server on host:port; rejects with a one-line RegtrailError when it cannot listen. */
export function listen(server: http.Server, option: string, text: string): Promise<string> {
  const { host, port } = parseListen(option, text);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new RegtrailError('LISTEN', `cannot listen on ${text} (${option}): ${err.code ?? err.message}`)));
    server.listen(port, host, () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : String(a));
    });
  });
}
