/**
 * The event's types, generated from the event model (content/catalog/event.yaml). Field rules are
 * in that file, in content/locales/<lng>/event.json and in shared/reference/event-model-facts.md.
 */
export type {
  ActivityEvent,
  AddressType,
  CredentialType,
  InitiatorKind,
  InitiatorTypeURI,
  Outcome,
  Severity,
  TargetKind,
} from '../generated/event-model.js';
export type { Severity as EventSeverity } from '../generated/event-model.js';
