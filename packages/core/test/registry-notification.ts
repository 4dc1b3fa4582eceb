/**
 * Registry notification events as CNCF distribution 2.8 writes them, for the tests of
 * `fromRegistryNotification` and the notifications endpoint (src/proxy/notifications.test.ts) and
 * of `regtrail notifications` (packages/cli/test/nats.test.ts).
 */

/** The digest of the manifest the events name. */
export const DIGEST = `sha256:${'c'.repeat(64)}`;
export const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** One event of an envelope: `target` adds to (or replaces) the manifest's size and URL. */
export const notificationEvent = (id: string, action: string, target: Record<string, unknown>) => ({
  id,
  timestamp: '2026-03-04T05:06:07.123456789Z',
  action,
  target: { size: 500, url: `http://127.0.0.1:5000/v2/ns1/app/manifests/${DIGEST}`, ...target },
  request: { id: 'r1', addr: '192.0.2.9:41234', host: '127.0.0.1:5000', method: 'GET', useragent: 'skopeo/1.9.3' },
  actor: { name: 'alice' },
  source: { addr: 'reg:5000', instanceID: 'i1' },
});
