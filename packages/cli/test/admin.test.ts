import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdmin, type AdminServer } from '../src/admin.js';

/**
 * `--admin-listen` of the relay (admin.ts), in-process: the same host:port grammar as the proxy's
 * `--admin-listen` and `--listen` (serve/listen.ts), and a real listener on 127.0.0.1.
 */
describe('relay admin endpoint', () => {
  let admin: AdminServer | undefined;
  afterEach(async () => {
    await admin?.close();
    admin = undefined;
  });
  const health = () => ({ ok: true });

  it.each(['127.0.0.1:0', '[::1]:0', ':0'])('listens on %s and answers /healthz', async (listen) => {
    admin = await startAdmin(listen, new Registry(), health);
    expect(admin.url).toMatch(/^http:\/\/(?:127\.0\.0\.1|\[::1?\]|\[::\]|0\.0\.0\.0):\d+$/);
    const port = new URL(admin.url).port;
    const res = await fetch(`http://${listen.startsWith('[') ? '[::1]' : '127.0.0.1'}:${port}/healthz`);
    expect(res.status).toBe(200);
  });

  it.each(['9464', '127.0.0.1', '[not-v6]:9464', '[1.2.3.4]:9464', '127.0.0.1:65536', 'host:port'])('refuses %s in one line naming the option', async (listen) => {
    const err = await startAdmin(listen, new Registry(), health).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^invalid --admin-listen ".*": expected host:port/);
    expect((err as Error).message).not.toContain('\n');
  });
});
