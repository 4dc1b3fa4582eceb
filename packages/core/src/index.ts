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
export type { ActionDef, ContentData, FieldDef, FieldType, ServiceDef } from './content/types.js';
export { content } from './generated/content.js';
export * from './regions/index.js';
export type { RegionDef, LocationEditionDef } from './content/types.js';
export type { ActivityEvent, Outcome, Severity, EventSeverity, InitiatorTypeURI, CredentialType, AddressType, TargetKind } from './event/types.js';
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

// The reference emitter: event builder, its parts, and the emitter.
export { createEmitter, type Emitter, type EmitterOptions } from './event/emitter.js';
export { EVENT_FIELDS, eventField, initiatorKindOf, INITIATOR_TYPE_URIS, DEFAULT_CREDENTIAL, type EventFieldDef } from './event/model.js';
export {
  EVENT_MODEL,
  OUTCOME_VALUES,
  SEVERITY_VALUES,
  CREDENTIAL_TYPE_VALUES,
  ADDRESS_TYPE_VALUES,
  TARGET_KIND_VALUES,
  INITIATOR_TYPE_URI_VALUES,
} from './generated/event-model.js';
export type {
  EmitInput,
  EmitActionName,
  EmittableActionId,
  FullActionId,
  ShortActionId,
  InitiatorInput,
  InitiatorKind,
  TargetInput,
  RequestDataOf,
  ResponseDataOf,
} from './event/input.js';
export { resolveTarget, type ResolvedTarget } from './event/target.js';
export { severityFor, STATUS_SEVERITY } from './event/severity.js';
export { formatMessage } from './event/message.js';
export { formatEventTime, parseEventTime, eventTimeProblem, eventDate, EVENT_TIME_PATTERN } from './event/time.js';
export { formatCrn, parseCrn, crnProblem, accountScope, CRN_PATTERN, CRN_SERVICE, type Crn } from './event/crn.js';
export { redact, isSecretKey, REDACTED, SECRET_KEY } from './event/redact.js';
export { serializeEvent } from './event/serialize.js';
export { sampleEvents, hasSampleEvents, sampleId, SAMPLE_ACCOUNT, SAMPLE_REGION, type ActionSamples, type Sample, type SampleOutcome } from './event/samples.js';

// Schema and validator.
export { eventSchema, commonEventSchema, actionVariant, LEGACY_FIELDS, SCHEMA_DIALECT, type JsonSchema } from './validate/schema.js';
export { validateEvent, type Problem, type ValidationResult, type ValidateOptions } from './validate/validate.js';
export { lintStream, type LintProblem, type LintSummary } from './validate/lint.js';

// Sinks.
export { memorySink, type MemorySink } from './sinks/memory.js';
export { fileSink, type FileSink, type FileSinkOptions } from './sinks/file.js';
export { streamSink, stdoutSink, type StreamSinkOptions } from './sinks/stream.js';

// Simulation.
export { simulate, type SimulateOptions } from './simulate/simulate.js';
export { seededRandom, type Random } from './simulate/prng.js';
