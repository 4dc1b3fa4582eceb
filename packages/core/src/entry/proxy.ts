/**
 * @regtrail/core/proxy: events from real registry traffic (Node.js only). An audit proxy in front
 * of any OCI registry or compatible API, and the registry's own notifications as events; both use
 * the route map (content/catalog/routes.yaml) and an emitter from @regtrail/core/emit.
 */
export {
  createAuditProxy,
  type AuditProxy,
  type AuditProxyOptions,
  type AuditProxyObserver,
  type AuditProxyStats,
  type ProxiedRequest,
} from '../proxy/proxy.js';
export {
  fromRegistryNotification,
  createNotificationHandler,
  type NotificationEvent,
  type NotificationOptions,
  type NotificationHandlerOptions,
} from '../proxy/notifications.js';
