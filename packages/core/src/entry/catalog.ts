/**
 * @regtrail/core/catalog: the catalog, the region rules and their labels, for any JavaScript
 * runtime (browsers included). Nothing on this module's import graph uses Node.js built-ins,
 * yaml, zod or ajv: the content is embedded as plain data.
 */
export { RegtrailError } from '../errors.js';
export { isIsoDate, today, toIsoDate, type IsoDate } from '../dates.js';
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
} from '../catalog/catalog.js';
export { describeAction, groupTitle } from '../catalog/describe.js';
export { kindLabel, statusLabel, severityLabel, deprecatedMark } from '../catalog/labels.js';
export {
  i18n,
  createI18n,
  translator,
  resources,
  products,
  productsIn,
  languages,
  defaultLanguage,
  isLanguage,
  resolveLanguage,
  type Language,
} from '../i18n/i18n.js';
export type { ActionDef, FieldDef, FieldType, ServiceDef, RegionDef, LocationEditionDef } from '../content/types.js';

// The event model (content/catalog/event.yaml) as data, and the types generated from it.
export type { ActivityEvent, Outcome, Severity, EventSeverity, InitiatorTypeURI, InitiatorKind, CredentialType, AddressType, TargetKind } from '../event/types.js';
export { EVENT_FIELDS, eventField, initiatorKindOf, INITIATOR_TYPE_URIS, DEFAULT_CREDENTIAL, STATUS_SEVERITY, type EventFieldDef } from '../event/model.js';
export {
  EVENT_MODEL,
  OUTCOME_VALUES,
  SEVERITY_VALUES,
  CREDENTIAL_TYPE_VALUES,
  ADDRESS_TYPE_VALUES,
  TARGET_KIND_VALUES,
  INITIATOR_TYPE_URI_VALUES,
} from '../generated/event-model.js';
export {
  listRegions,
  getRegion,
  resolveRegion,
  findRegion,
  eventLocation,
  locationEditions,
  locationEditionOn,
  locationUnder,
  parseImageReference,
  whereIs,
  type Region,
  type RegionId,
  type EventLocation,
  type LocationEdition,
  type ImageReference,
  type WhereAnswer,
} from '../regions/index.js';

// Which API calls generate which events: the route map (content/catalog/routes.yaml).
export { matchRoute, findRoute, listRoutes, type RouteMatch, type MatchContext, type RouteDef, type RouteSource, type RouteTarget } from '../routes/match.js';
