/**
 * @regtrail/core/validate: the JSON Schema of events generated from the catalog, the event
 * validator (ajv plus the rules a schema cannot state) and the streaming NDJSON linter.
 */
export { RegtrailError } from '../errors.js';
export type { ActivityEvent, Outcome, Severity, EventSeverity, InitiatorTypeURI, CredentialType, AddressType, TargetKind } from '../event/types.js';
export { eventSchema, commonEventSchema, SCHEMA_DIALECT, type JsonSchema } from '../validate/schema.js';
export { validateEvent, type Problem, type ValidationResult, type ValidateOptions } from '../validate/validate.js';
export {
  lintStream,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_EVENT_BYTES,
  type LintOptions,
  type LintProblem,
  type LintSummary,
} from '../validate/lint.js';
