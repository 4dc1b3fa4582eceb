/**
 * @regtrail/core/emit: the reference emitter and the parts of each event it composes, the sinks
 * events go to (memory, file, stream, HTTP with a write-ahead spool) and the simulator.
 */
export { RegtrailError } from '../errors.js';
export type { ActivityEvent, Outcome, Severity, EventSeverity, InitiatorTypeURI, InitiatorKind, CredentialType, AddressType, TargetKind } from '../event/types.js';

// The reference emitter, its event builder and its parts.
export { createEmitter, type Emitter, type EmitterOptions } from '../event/emitter.js';
export type {
  EmitInput,
  EmitActionName,
  EmittableActionId,
  FullActionId,
  ShortActionId,
  InitiatorInput,
  TargetInput,
  RequestDataOf,
  ResponseDataOf,
} from '../event/input.js';
export { resolveTarget, type ResolvedTarget } from '../event/target.js';
export { severityFor } from '../event/severity.js';
export { formatMessage } from '../event/message.js';
export { formatEventTime, parseEventTime, eventTimeProblem, eventDate, EVENT_TIME_PATTERN } from '../event/time.js';
export { formatCrn, parseCrn, crnProblem, accountScope, CRN_PATTERN, CRN_SERVICE, type Crn } from '../event/crn.js';
export { redact, isSecretKey, REDACTED, SECRET_KEY } from '../event/redact.js';
export { serializeEvent } from '../event/serialize.js';
export { sampleEvents, hasSampleEvents, SAMPLE_ACCOUNT, SAMPLE_REGION, type ActionSamples, type Sample, type SampleOutcome } from '../event/samples.js';

// Sinks.
export { ACCEPTED, type EventSink } from '../sinks/sink.js';
export { memorySink, type MemorySink } from '../sinks/memory.js';
export { fileSink, type FileSink, type FileSinkOptions } from '../sinks/file.js';
export { streamSink, stdoutSink, type StreamSinkOptions } from '../sinks/stream.js';
export { createEventLocator, type EventLocator } from '../sinks/locate.js';
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
  // The write-ahead spool itself, for sinks of other packages (the JetStream sink's overflow).
  Spool,
  type SpoolOpened,
  type SpoolOptions,
  type SpoolPosition,
  type SpoolRecord,
} from '../sinks/http/index.js';

// Simulation.
export { simulate, SIMULATED_EVENT_MIN_BYTES, type SimulateOptions } from '../simulate/simulate.js';
export { seededRandom, type Random } from '../simulate/prng.js';
