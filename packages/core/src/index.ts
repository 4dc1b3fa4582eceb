/**
 * @regtrail/core: the Container Registry activity-tracking catalog as a typed library.
 */
export { RegtrailError } from './errors.js';
export { isIsoDate, today, toIsoDate, type IsoDate } from './dates.js';
export {
  listActions,
  getAction,
  allActions,
  actionAsOf,
  editions,
  groups,
  isActionId,
  resolveActionId,
  serviceId,
  type Action,
  type ActionId,
  type ActionStatus,
  type CatalogEntry,
  type GroupId,
  type ListActionsOptions,
} from './catalog/catalog.js';
export { describeAction, groupTitle } from './catalog/describe.js';
export { kindLabel, statusLabel, severityLabel, deprecatedMark } from './catalog/labels.js';
export {
  i18n,
  createI18n,
  translator,
  resources,
  products,
  languages,
  defaultLanguage,
  isLanguage,
  resolveLanguage,
  type Language,
} from './i18n/i18n.js';
export { loadContent, NAMESPACES } from './content/load.js';
export { ContentError, formatProblem, type ContentProblem } from './content/problems.js';
export { interpolationVariables, flattenResources } from './content/locales.js';
export type { ActionDef, ContentData, FieldDef, FieldType, Severity, ServiceDef } from './content/types.js';
export { content } from './generated/content.js';
export * from './regions/index.js';
export type { RegionDef, LocationEditionDef } from './content/types.js';
export type { ActivityEvent, Outcome, EventSeverity, InitiatorTypeURI, CredentialType } from './event/types.js';
export type { EventSink } from './sinks/sink.js';
export {
  createHttpSink,
  readDeadLetters,
  type HttpSink,
  type HttpSinkOptions,
  type HttpSinkStats,
  type HttpSinkLogLevel,
  type IngestUrl,
  type RetryPolicy,
  type BatchLimits,
  type DeadLetterRecord,
} from './sinks/http/index.js';
