import { RegtrailError } from '@regtrail/core/emit';

/**
 * NATS server addresses as the options and the command line give them: `nats://host:port`, or a
 * comma-separated list of them (the members of a cluster; the client fails over between them).
 */
export function parseServers(value: string | readonly string[], what = 'servers'): string[] {
  const list = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw new RegtrailError('BAD_OPTION', `${what}: expected nats://host:port`);
  for (const text of list) {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    const shown = JSON.stringify(text.replace(/\/\/[^/@]*@/, '//[REDACTED]@'));
    if (!url || url.protocol !== 'nats:' || !url.hostname) throw new RegtrailError('BAD_OPTION', `${what}: ${shown} is not a nats://host:port address`);
    // Credentials in a URL end up in logs and process lists; a token comes from the environment.
    if (url.username || url.password) throw new RegtrailError('BAD_OPTION', `${what}: ${shown} carries a user name or password; give a token with tokenEnv (--token-env) instead`);
    if (url.pathname && url.pathname !== '/') throw new RegtrailError('BAD_OPTION', `${what}: ${shown} has a path; a NATS address is nats://host:port`);
  }
  return list;
}

/** Whether a sink address names NATS rather than HTTP. */
export function isNatsUrl(text: string): boolean {
  return /^\s*nats:\/\//i.test(text);
}

/** The token named by `tokenEnv`, checked. */
export function tokenFrom(tokenEnv: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (tokenEnv === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new RegtrailError('BAD_OPTION', `tokenEnv must be the name of an environment variable, not ${JSON.stringify(tokenEnv)}`);
  const token = env[tokenEnv];
  if (!token) throw new RegtrailError('NO_CREDENTIALS', `environment variable ${tokenEnv} is not set`);
  return token;
}
