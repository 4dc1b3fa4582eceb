import { randomUUID } from 'node:crypto';
import { content } from '../generated/content.js';
import { RegtrailError } from '../errors.js';
import { getAction, type Action } from '../catalog/catalog.js';
import { resolveRegion, type Region } from '../regions/regions.js';
import { ACCEPTED, writeTo, type EventSink } from '../sinks/sink.js';
import { composedPartsValid, validateEvent, type ValidateOptions } from '../validate/validate.js';
import { EventComposer, type BuildContext } from './build.js';
import { handoff } from '../hot-state.js';
import type { EmitActionName, EmitInput, FullActionId } from './input.js';
import { formatEventTime } from './time.js';
import { randomUuid } from './uuid.js';
import type { ActivityEvent } from './types.js';

export interface EmitterOptions {
  /** The customer account the events belong to (the `a/<accountId>` scope of every CRN). */
  accountId: string;
  /** The region the service runs in: a region id (us-south), a former name (ap-north) or a registry domain. */
  region: string | Region;
  /** Service instance segment of logSourceCRN; empty by default. */
  instanceId?: string;
  /** Where events go. */
  sink: EventSink;
  /** The time of each event; `Date.now` by default. */
  clock?: () => Date | number;
  /** The id of each event; a random UUID by default (as `crypto.randomUUID` makes one, from the same source). */
  newId?: () => string;
  /** `saveServiceCopy` of every event; true by default. */
  serviceCopy?: boolean;
  /** Validate every event before it leaves (an invalid one is a RegtrailError); true by default. */
  validate?: boolean;
  /** Where the once-per-action deprecation warning goes; `process.emitWarning` by default. */
  warn?: (message: string) => void;
  /** The service's display name in messages; the catalog's by default. */
  serviceDisplayName?: string;
}

export interface Emitter {
  readonly accountId: string;
  readonly region: Region;
  /**
   * Builds, checks and writes one event and resolves to it once the sink has accepted it. Throws a
   * RegtrailError for an action that cannot be emitted on the clock's date (not yet listed,
   * removed, unclassified), for input that cannot make a valid event, and (with validation on)
   * for an event that fails validation.
   */
  emit<A extends EmitActionName>(action: A, input: EmitInput<FullActionId<A>>): Promise<ActivityEvent>;
  /** Builds the event without writing it. Same checks as emit. */
  build<A extends EmitActionName>(action: A, input: EmitInput<FullActionId<A>>): ActivityEvent;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const EMITTER_VALIDATION = { secretsRedacted: true } as const;

const defaultWarn = (message: string) => process.emitWarning(message, { type: 'DeprecationWarning', code: 'REGTRAIL_DEPRECATED_ACTION' });

/** A reference emitter of Container Registry activity-tracking events. */
export function createEmitter(options: EmitterOptions): Emitter {
  if (!options || typeof options !== 'object') throw new RegtrailError('BAD_OPTIONS', 'createEmitter needs options: accountId, region and sink');
  const { accountId, sink } = options;
  if (typeof accountId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(accountId)) {
    throw new RegtrailError('BAD_ACCOUNT', `invalid account id ${JSON.stringify(accountId)}: letters, digits, '-' and '_' only`);
  }
  if (!sink || typeof sink.write !== 'function') throw new RegtrailError('BAD_OPTIONS', 'createEmitter needs a sink with write, flush and close');
  const region = typeof options.region === 'string' ? resolveRegion(options.region) : options.region;
  if (!region || typeof region.crnLocation !== 'string') throw new RegtrailError('BAD_OPTIONS', 'createEmitter needs a region');
  if (options.instanceId !== undefined && !/^[^:\s]*$/.test(options.instanceId)) {
    throw new RegtrailError('BAD_OPTIONS', `invalid instance id ${JSON.stringify(options.instanceId)}: no colons or white space`);
  }
  if (options.serviceDisplayName !== undefined && (typeof options.serviceDisplayName !== 'string' || options.serviceDisplayName.trim() === '' || /[\u0000-\u001f]/.test(options.serviceDisplayName))) {
    throw new RegtrailError('BAD_OPTIONS', `invalid serviceDisplayName ${JSON.stringify(options.serviceDisplayName)}: a non-empty name on one line`);
  }
  const ctx: BuildContext = {
    accountId,
    region,
    ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
    serviceDisplayName: options.serviceDisplayName ?? content.service.displayName,
    saveServiceCopy: options.serviceCopy ?? true,
  };
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? randomUuid;
  // Ids that need no escaping in JSON.
  const idIsUuid = newId === randomUuid || newId === randomUUID;
  const validate = options.validate ?? true;
  const warn = options.warn ?? defaultWarn;
  const warned = new Set<string>();
  /** Each action by the name it was emitted by, with the last day on which it was found emittable (the checks run once a day). */
  const actions = new Map<string, { readonly action: Action; day: string }>();

  const lookup = (name: string): { readonly action: Action; day: string } => {
    let known = actions.get(name);
    if (known === undefined) {
      known = { action: getAction(name), day: '' };
      actions.set(name, known);
    }
    return known;
  };

  const composer = new EventComposer(ctx);
  // Messages start with the emitter's display name; the validator checks them against the same.
  const validation: ValidateOptions =
    ctx.serviceDisplayName === content.service.displayName ? EMITTER_VALIDATION : { ...EMITTER_VALIDATION, serviceDisplayName: ctx.serviceDisplayName };
  const lifecycle = (action: Action, day: string): void => {
    if (day < action.since) {
      throw new RegtrailError('ACTION_NOT_LISTED', `${action.id} cannot be emitted on ${day}: it is listed only from ${action.since}`);
    }
    if (action.removed !== undefined && action.removed <= day) {
      throw new RegtrailError('ACTION_REMOVED', `${action.id} cannot be emitted on ${day}: it was removed on ${action.removed}`);
    }
    if (action.deprecated !== undefined && action.deprecated <= day && !warned.has(action.id)) {
      warned.add(action.id);
      warn(`${action.id} is deprecated since ${action.deprecated}${action.removed ? ` and removed on ${action.removed}` : ''}`);
    }
  };

  /** The day of the last event validateEvent accepted whole: its events' times need no other check. */
  let validDay = '';
  /** The last event time, and its day. */
  let lastTime = '';
  let lastDay = '';
  const build = (name: string, input: EmitInput<string>): { event: ActivityEvent; line: string } => {
    const known = lookup(name);
    const { action } = known;
    const time = input !== null && typeof input === 'object' ? input.time : undefined;
    const when = time !== undefined ? time : clock();
    const eventTime = formatEventTime(when);
    // The clock's events share their time string (time.ts), so the day is cut once per time.
    if (eventTime !== lastTime) {
      lastTime = eventTime;
      lastDay = eventTime.slice(0, 10);
    }
    const day = lastDay;
    if (day !== known.day) {
      lifecycle(action, day);
      known.day = day;
    }
    const built = composer.compose(action, input, eventTime, newId(), idIsUuid);
    // Validation by construction: an event made of parts that were each in an event validateEvent
    // accepted whole, on the same day, needs only its new parts checked (validate.ts, composedPartsValid).
    if (validate && !(built.known && day === validDay && composedPartsValid(built.event, action))) {
      // The composer redacted requestData/responseData with the validator's own rule.
      const result = validateEvent(built.event, validation);
      if (!result.ok) {
        const first = result.problems.slice(0, 3).map((p) => `${p.path || '(event)'}: ${p.message}`).join('; ');
        throw new RegtrailError('INVALID_EVENT', `the ${action.id} event is invalid: ${first}${result.problems.length > 3 ? ` (and ${result.problems.length - 3} more)` : ''}`);
      }
      composer.markValid();
      validDay = day;
    }
    return built;
  };

  return {
    accountId,
    region,
    build: (name, input) => build(name, input as EmitInput<string>).event,
    // Not an async function: one promise per event instead of two (this is the hot path).
    emit(name, input) {
      let built: { event: ActivityEvent; line: string };
      try {
        built = build(name, input as EmitInput<string>);
      } catch (err) {
        return Promise.reject(err);
      }
      const { event, line } = built;
      // The composed line goes to the sink with the event (serialize.ts, handoff): it is not written again.
      handoff.event = event;
      handoff.line = line;
      let written: Promise<void>;
      try {
        written = writeTo(sink, event);
      } finally {
        handoff.event = undefined;
        handoff.line = '';
      }
      // A sink that accepted the event at once (ACCEPTED) needs no reaction to wait on.
      return written === ACCEPTED ? Promise.resolve(event) : written.then(() => event);
    },
    flush: () => sink.flush(),
    close: () => sink.close(),
  };
}
