import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { RegtrailError } from '../errors.js';
import type { Action } from '../catalog/catalog.js';
import type { Region } from '../regions/regions.js';
import { accountScope, CRN_SERVICE, encodeSegment, formatCrn } from './crn.js';
import { parseImageReference } from '../regions/image-reference.js';
import type { EmitInput, InitiatorInput, TargetInput } from './input.js';
import { redact } from './redact.js';
import { severityFor } from './severity.js';
import { resolveTarget, type ResolvedTarget } from './target.js';
import { flat } from './flat.js';
import { BOUNDS, BoundedCache } from '../hot-state.js';
import { jsonString } from './serialize.js';
import { ADDRESS_TYPE_VALUES, CREDENTIAL_TYPE_VALUES, OUTCOME_VALUES, type AddressType } from '../generated/event-model.js';
import { DEFAULT_CREDENTIAL, eventField, INITIATOR_TYPE_URIS, initiatorKindOf, OBSERVER_NAME } from './model.js';
import { EVENT_MODEL } from '../generated/event-model.js';
import { textRule } from '../validate/validate.js';
import type { ActivityEvent, CredentialType, InitiatorTypeURI, Outcome, Severity } from './types.js';

/** Everything about the emitting service that is the same for every event. */
export interface BuildContext {
  accountId: string;
  /** The emitter's region: where every resource but an image lives, and where logSourceCRN points. */
  region: Region;
  instanceId?: string;
  serviceDisplayName: string;
  saveServiceCopy: boolean;
}

const CREDENTIAL_SET: ReadonlySet<string> = new Set(CREDENTIAL_TYPE_VALUES);
const OUTCOMES: readonly string[] = OUTCOME_VALUES;
const KINDS = Object.keys(INITIATOR_TYPE_URIS);
/** `a`, `an`: for the kinds of target in messages. */
const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function bad(message: string): never {
  throw new RegtrailError('BAD_EVENT_INPUT', message);
}

/** The outcome of a request: the given one, or what its status code says. */
function outcomeOf(given: Outcome | undefined, status: number | undefined): Outcome {
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) bad(`status ${JSON.stringify(status)} is not an HTTP status code (100-599)`);
  if (given !== undefined && !OUTCOMES.includes(given)) bad(`unknown outcome ${JSON.stringify(given)}; expected ${OUTCOME_VALUES.join(', ')}`);
  return given ?? (status !== undefined && status >= 400 ? 'failure' : 'success');
}

/** The status code of a request that ended with `outcome`: the given one, or the outcome's usual one; they must go together. (Two functions, not one returning both: no object per event.) */
function statusOf(outcome: Outcome, status: number | undefined): number {
  const code = status ?? (outcome === 'failure' ? 500 : outcome === 'pending' ? 202 : 200);
  if (outcome === 'failure' && code < 400) bad(`outcome failure does not go with status ${code}; a failed request has a 4xx or 5xx status`);
  if (outcome !== 'failure' && code >= 400) bad(`outcome ${outcome} does not go with status ${code}; a 4xx or 5xx status is a failure`);
  return code;
}

function jsonObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(`${what} must be a JSON object`);
  return redact(value as Record<string, unknown>);
}

const str = jsonString;

type Host = ActivityEvent['initiator']['host'];

/**
 * A part of events that validateEvent has accepted, whole, in an event built from it (with the
 * emitter's options): the emitter then checks only what is new in each event built from such
 * parts (validate.ts, composedPartsValid). Set by EventComposer.markValid.
 */
interface Checked {
  valid: boolean;
}

/** A resolved caller, with the input it was resolved from (to tell whether the next input is the same caller). */
interface InitiatorEntry extends Checked {
  readonly input: Readonly<InitiatorInput>;
  readonly name: string;
  readonly typeURI: InitiatorTypeURI;
  readonly credential: CredentialType;
  readonly addressType: Host['addressType'];
  /** The initiator's JSON, flat. */
  readonly json: string;
}

/** A message, and its part of the line: `","message":"…"` (closing eventTime's string before it). */
interface MessageParts {
  readonly message: string;
  readonly json: string;
}

interface TargetEntry extends ResolvedTarget {
  /** What was validated for it: itself, or the repository it was made from (an image with a new tag or digest). */
  readonly checked: Checked;
  /** `account`, or the resource type of the target's CRN (a kind of target in the catalog). */
  readonly kind: string;
  /** The digest an image target was given with (an image is remembered by reference, for that digest). */
  readonly givenDigest: string | undefined;
  /** `,"target":{"id":…,"name":…`, flat. */
  readonly head: string;
  /** What follows the target's typeURI: `,"resourceGroupId":…}` or `}`. */
  readonly end: string;
  /** Message parts by the composer's index of the action, times two, plus one for a failure; made when first needed. */
  readonly messages: (MessageParts | undefined)[];
  /** Whether the name is written in JSON as it is, between quotes (nothing to escape). */
  readonly safeName: boolean;
}

/**
 * A target entry, always made here, with every field in one order. compose and messageOf read a
 * dozen fields of a target for every event; targets made by several object literals, or spread
 * from what resolveTarget returned, had several hidden classes, and V8's --log-ic showed those
 * reads missing its megamorphic cache on one event in twenty or so, each miss a call into the runtime.
 */
function targetEntry(
  checked: Checked,
  kind: string,
  id: string,
  name: string,
  resourceGroupId: string | undefined,
  givenDigest: string | undefined,
  head: string,
  end: string,
  messages: (MessageParts | undefined)[],
  safeName: boolean,
): TargetEntry {
  return { checked, kind, id, name, resourceGroupId, givenDigest, head, end, messages, safeName };
}

/**
 * An image repository (a reference without its tag and digest: `us.icr.io/team/app`), parsed
 * once: the parts that every event about it shares, whatever tag and digest it comes with. A new
 * digest (every new push, every pull of a new image) then costs a few concatenations, not a
 * parse and a CRN. Only repositories whose parts JSON writes as they are (as the reference
 * grammar makes them) are kept; tags and digests are checked with the grammar's patterns.
 */
interface ImageBase extends Checked {
  /** `crn:…:image:<path>`: the target id before the tag or digest. */
  readonly id: string;
  /** `,"target":{"id":"crn:…:image:<path>`. */
  readonly head: string;
  /** `crn:…:image:<path>@sha256%3A`: the id of a target with a sha256 digest, before its hex. */
  readonly idDigest: string;
  /** `,"target":{"id":"crn:…:image:<path>@sha256%3A`. */
  readonly headDigest: string;
  /** `<domain>/<path>`. */
  readonly name: string;
  /** `","name":"<domain>/<path>`. */
  readonly nameJson: string;
  /**
   * The last reference (and digest given with it) made into a target, and that target once the
   * same reference came twice in a row: events about one image come in runs, but with a new
   * digest per event (every push, every pull of a new image) a target kept on first sight would be
   * dropped a thousand events later, long enough to be copied out of the young generation and
   * left for a full GC. A target seen once is the composer's scratch entry instead.
   */
  lastReference: string | undefined;
  lastGiven: string | undefined;
  lastEntry: TargetEntry | undefined;
}

/** The messages of a target made for one event (an image with a new digest): none are kept. */
const ONE_SHOT = Object.freeze([]) as unknown as (MessageParts | undefined)[];

/**
 * The targets of one kind named by an id (exemptions, and resources such as registry tokens): the
 * parts that all of them share. Their ids are new with almost every event (an exemption's is a
 * UUID); a new one then costs a concatenation and a check of its name, not a resolve and a
 * whole validation. Valid (Checked) once an event with a target of this kind, whose name passed
 * nameRule, was validated whole: every other such target differs from it only in its id's last
 * CRN segment (written without a colon: any such segment is valid there) and its name.
 */
interface NamedKind extends Checked {
  /** `crn:…:<kind>:`: the target id before its (encoded) id. */
  readonly prefix: string;
}

/** The model's rules for `path`, when they are at most a string's (not empty) and the pattern `pattern`; undefined for any other. */
function onlyRules(path: string, pattern: string): { nonEmpty: boolean } | undefined {
  const f = eventField(path) as unknown as Record<string, unknown>;
  // The keys of a field of the model that do not constrain its value (content/types.ts, EventFieldDef).
  const inert = new Set(['path', 'key', 'parent', 'type', 'required', 'nonEmpty', 'open', 'pattern', 'leaf']);
  const only = f.type === 'string' && (f.pattern === undefined || f.pattern === pattern) && Object.keys(f).every((k) => inert.has(k));
  return only ? { nonEmpty: f.nonEmpty === true } : undefined;
}

/**
 * What validateEvent asks of a target's name (and of the message, which is a valid message head
 * and the name), read from the event model: a string, not empty, of the `text` pattern's
 * characters (checked by the validator's own textRule); the target id's only rule is the CRN
 * pattern. Undefined when the model asks for anything else: then every such target is validated whole.
 */
const targetNameRule = ((): ((name: string) => boolean) | undefined => {
  const name = onlyRules('target.name', 'text');
  if (name === undefined || onlyRules('message', 'text') === undefined || onlyRules('target.id', 'crn') === undefined) return undefined;
  const text = textRule(EVENT_MODEL.patterns.text);
  return name.nonEmpty ? (s) => s !== '' && text(s) : text;
})();

/** The rules of validation by construction, for the tests that sabotage one (fast-validation.test.ts). Never changed otherwise. */
export const BY_CONSTRUCTION = { targetName: targetNameRule };

/** The digest almost every image has: sha256, lower-case hex (checkDigest accepts more, on the slow path). */
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A tag, as the reference grammar has it (regions/image-reference.ts; the composer tests hold the two to the same verdicts). */
const TAG = /^[\w][\w.-]{0,127}$/;
/** A string JSON.stringify writes as it is, between quotes. */
const jsonSafe = (s: string) => str(s) === `"${s}"`;

/** How a request ended, as the event says it: outcome, reason and severity. */
interface Ending {
  /**
   * What was validated for it: the same for every ending of one status code and outcome (whether
   * outcome, code, severity and reason type go together), when its own reasonType and
   * reasonForFailure are strings (the only rule for them); its own otherwise.
   */
  readonly checked: Checked;
  readonly outcome: Outcome;
  readonly status: number;
  readonly reasonType: string | undefined;
  readonly severity: Severity;
  /** `,"outcome":…,"reason":{…},"severity":…,"eventTime":"`, flat when remembered. */
  readonly json: string;
  /**
   * The last event time written after a remembered ending, and `json` with it: the events of one
   * hundredth of a second share their time string (time.ts), and most of them their ending.
   */
  lastTime: string;
  withTime: string;
}

interface ActionParts extends Checked {
  /** The action's place among the actions this composer has seen: where targets keep its messages. */
  readonly index: number;
  /** `{"action":…,"initiator":`. */
  readonly head: string;
  /** `,"typeURI":…` of the target. */
  readonly typeURI: string;
  /** The same, closing the target (`}`: a target without a resource group). */
  readonly typeURIClose: string;
  /** `<display name>: <verb> <objectType> `. */
  readonly messagePrefix: string;
  /** `","message":"<display name>: <verb> <objectType> ` (escaped as JSON). */
  readonly messageJson: string;
  /** From logSourceCRN to dataEvent's value. */
  readonly tail: string;
  /** Endings with the default reason type, by status code and outcome. */
  readonly endings: Map<number, Ending>;
  /** What was validated for the endings of each status code and outcome (Ending.checked). */
  readonly endingChecks: Map<number, Checked>;
  /** The kinds of target the catalog lists for the action; the account when absent, if listed. */
  readonly targets: readonly string[];
}

const OUTCOME_INDEX: Readonly<Record<Outcome, number>> = { success: 0, pending: 1, failure: 2 };

/**
 * Builds events and, in the same pass, their JSON line. Everything that is the same for every
 * event of an emitter, an action, a caller or a resource is written once, as one flat string, and
 * remembered (callers, images and namespaces repeat); an event's line is then a dozen pieces: the
 * remembered ones, its time and id, and its requestData/responseData (the only parts that go
 * through JSON.stringify). The line is exactly what JSON.stringify writes for the event.
 */
export class EventComposer {
  private readonly logSourceCRN: string;
  /** From logSourceCRN to dataEvent's key. */
  private readonly tail: string;
  // Bounded caches (hot-state.ts): what a busy service sees again and again. The actions' parts
  // and their endings are bounded by the catalog (its actions, times the status codes).
  private readonly targets = new BoundedCache<string, TargetEntry>(BOUNDS.targets);
  /** Images by reference without the digest it may name (usually the caller's own strings, whose hashes V8 keeps). */
  private readonly images = new BoundedCache<string, ImageBase | null>(BOUNDS.targets);
  private account?: TargetEntry;
  private readonly initiators = new BoundedCache<string, InitiatorEntry>(BOUNDS.initiators);
  private readonly ipVersions = new BoundedCache<string, number>(BOUNDS.ipVersions);
  /** Kinds of target named by an id (NamedKind), by kind; only kinds the catalog lists for an action (bounded by the catalog). */
  private readonly named = new Map<string, NamedKind | null>();
  private readonly actions = new Map<string, ActionParts>();
  /** The target of an image seen with a new reference (imageTarget): one object, filled in for each such event. */
  private readonly scratch: { -readonly [K in keyof TargetEntry]: TargetEntry[K] } = targetEntry({ valid: false }, 'image', '', '', undefined, undefined, '', '}', ONE_SHOT, true);

  /** How many entries each bounded cache holds, and how often it was hit (for tests and benchmarks). */
  cacheStats(): Record<'targets' | 'images' | 'initiators' | 'ipVersions', { size: number; hits: number; misses: number }> {
    const of = (c: BoundedCache<unknown, unknown>) => ({ size: c.size, hits: c.hits, misses: c.misses });
    return { targets: of(this.targets), images: of(this.images), initiators: of(this.initiators), ipVersions: of(this.ipVersions) };
  }

  constructor(private readonly ctx: BuildContext) {
    this.logSourceCRN = formatCrn({ serviceName: CRN_SERVICE, location: ctx.region.crnLocation, scope: accountScope(ctx.accountId), serviceInstance: ctx.instanceId ?? '' });
    this.tail = `,"logSourceCRN":${str(this.logSourceCRN)},"saveServiceCopy":${ctx.saveServiceCopy ? 'true' : 'false'},"observer":{"name":${str(OBSERVER_NAME)}},"dataEvent":`;
  }

  private partsOf(action: Action): ActionParts {
    let parts = this.actions.get(action.id);
    if (parts === undefined) {
      const prefix = `${this.ctx.serviceDisplayName}: ${action.verb.toLowerCase()} ${action.objectType.toLowerCase()} `;
      parts = {
        index: this.actions.size,
        head: flat(`{"action":${str(action.id)},"initiator":`),
        typeURI: flat(`,"typeURI":${str(action.targetTypeURI)}`),
        typeURIClose: flat(`,"typeURI":${str(action.targetTypeURI)}}`),
        messagePrefix: flat(prefix),
        messageJson: flat(`","message":${str(prefix).slice(0, -1)}`),
        tail: flat(`${this.tail}${action.dataEvent === true ? 'true' : 'false'}`),
        endings: new Map(),
        endingChecks: new Map(),
        targets: action.targets,
        valid: false,
      };
      this.actions.set(action.id, parts);
    }
    return parts;
  }

  private resolve(t: TargetInput): TargetEntry {
    const r = resolveTarget(t, this.ctx.accountId, this.ctx.region);
    return targetEntry(
      { valid: false },
      r.kind,
      // Flat: the validator reads them whole for every event.
      flat(r.id),
      flat(r.name),
      r.resourceGroupId,
      t.type === 'image' ? t.digest : undefined,
      flat(`,"target":{"id":${str(r.id)},"name":${str(r.name)}`),
      flat(r.resourceGroupId === undefined ? '}' : `,"resourceGroupId":${str(r.resourceGroupId)}}`),
      [],
      jsonSafe(r.name),
    );
  }

  /**
   * The parts of an image repository, from a reference resolveTarget has just accepted; null
   * when they cannot be concatenated as they are.
   */
  private imageBase(repository: string): ImageBase | null {
    // The reference parsed whole, with its tag and digest: its repository parses alone, to the same parts.
    const ref = parseImageReference(repository);
    if (ref.region === undefined || ref.tag !== undefined || ref.digest !== undefined) return null;
    const id = formatCrn({ serviceName: CRN_SERVICE, location: ref.region.crnLocation, scope: accountScope(this.ctx.accountId), resourceType: 'image', resource: ref.path });
    if (!jsonSafe(id) || !jsonSafe(ref.name) || id.includes('%')) return null;
    return {
      id: flat(id),
      head: flat(`,"target":{"id":"${id}`),
      idDigest: flat(`${id}@sha256%3A`),
      headDigest: flat(`,"target":{"id":"${id}@sha256%3A`),
      name: flat(ref.name),
      nameJson: flat(`","name":"${ref.name}`),
      valid: false,
      lastReference: undefined,
      lastGiven: undefined,
      lastEntry: undefined,
    };
  }

  /**
   * An image target without a resource group. The usual ones (a valid tag or none, a sha256
   * digest or none, given separately or in the reference) are made from their repository's parts
   * (ImageBase); any other, and the first of each repository, go through resolveTarget.
   */
  private imageTarget(t: Extract<TargetInput, { type: 'image' }>, reference: string): TargetEntry {
    const given = t.digest;
    // Split as parseImageReference splits: the digest after the first '@', then a tag after the
    // last ':' past the last '/' (found in place: one slice, for the repository). The tag is found
    // by a loop back from the digest, not by lastIndexOf, which V8 runs in its runtime, not inline.
    const at = reference.indexOf('@');
    const end = at < 0 ? reference.length : at;
    let colon = -1;
    for (let i = end - 1; i >= 0; i--) {
      const c = reference.charCodeAt(i);
      if (c === 0x3a /* : */) colon = i;
      if (c === 0x3a || c === 0x2f /* / */) break;
    }
    const tagged = colon >= 0;
    const repository = reference.slice(0, tagged ? colon : end);
    const base = this.images.get(repository);
    if (base) {
      // The digests first: two of them differ in their first characters, two references of one repository only past it.
      const again = base.lastGiven === given && base.lastReference === reference;
      if (again && base.lastEntry !== undefined) return base.lastEntry;
      const named = at < 0 ? undefined : reference.slice(at + 1);
      const digest = named ?? given;
      const tag = tagged ? reference.slice(colon + 1, end) : 'latest';
      if (
        (given === undefined || given === digest) &&
        (digest === undefined || (typeof digest === 'string' && SHA256_DIGEST.test(digest))) &&
        (!tagged || TAG.test(tag))
      ) {
        // In the CRN's resource segment, `:` is written `%3A` (crn.ts): `<path>@sha256%3A<hex>` or `<path>%3A<tag>`.
        const hex = digest === undefined ? undefined : digest.slice(7);
        // The name carries the digest when the reference names one, else the tag.
        const suffix = named !== undefined ? `@${named}` : `:${tag}`;
        const id = hex === undefined ? `${base.id}%3A${tag}` : base.idDigest + hex;
        const name = base.name + suffix;
        const head = `${hex === undefined ? `${base.head}%3A${tag}` : base.headDigest + hex}${base.nameJson}${suffix}"`;
        if (again) {
          const entry = targetEntry(base, 'image', id, name, undefined, given, head, '}', [], true);
          base.lastEntry = entry;
          return entry;
        }
        base.lastReference = reference;
        base.lastGiven = given;
        base.lastEntry = undefined;
        // A target for this event only: the composer's one scratch entry, filled in (compose reads
        // it before the next call; the event keeps only its strings).
        const scratch = this.scratch;
        scratch.checked = base;
        scratch.id = id;
        scratch.name = name;
        scratch.givenDigest = given;
        scratch.head = head;
        return scratch;
      }
    }
    const entry = this.resolve(t);
    if (base === undefined) this.images.set(repository, this.imageBase(repository));
    return entry;
  }

  /**
   * An exemption or other resource named by an id. From its kind's parts (NamedKind) once one
   * target of the kind was resolved; through resolveTarget otherwise, and for input it would refuse.
   */
  private namedTarget(t: Extract<TargetInput, { type: 'exemption' | 'resource' }>, kinds: readonly string[]): TargetEntry {
    const kind = t.type === 'exemption' ? 'exemption' : t.resourceType;
    const { id, name: given } = t;
    const nameRule = BY_CONSTRUCTION.targetName;
    if (nameRule !== undefined && typeof kind === 'string' && typeof id === 'string' && (given === undefined || typeof given === 'string')) {
      let base = this.named.get(kind);
      if (base === undefined && kinds.includes(kind)) {
        const first = this.resolve(t);
        this.named.set(kind, (base = this.namedKind(kind, id, first.id)));
        if (base === null) return first;
      }
      // resolveTarget refuses an id that is only white space.
      if (base && id.trim() !== '') {
        const targetId = base.prefix + encodeSegment(id);
        const name = given ?? `${kind}-${id}`;
        const nameJson = str(name);
        return targetEntry(
          // A name the validator would refuse is validated whole (and refused, with its reason).
          nameRule(name) ? base : { valid: false },
          kind,
          targetId,
          name,
          undefined,
          undefined,
          `,"target":{"id":${str(targetId)},"name":${nameJson}`,
          '}',
          ONE_SHOT,
          // JSON escapes make a string longer.
          nameJson.length === name.length + 2,
        );
      }
    }
    return this.resolve(t);
  }

  /** The parts of a kind of target named by an id, from the id of a target of it that resolveTarget made; null when they cannot be concatenated. */
  private namedKind(kind: string, id: string, resolved: string): NamedKind | null {
    const prefix = formatCrn({ serviceName: CRN_SERVICE, location: this.ctx.region.crnLocation, scope: accountScope(this.ctx.accountId), resourceType: kind, resource: '' });
    return resolved === prefix + encodeSegment(id) && jsonSafe(prefix) ? { prefix: flat(prefix), valid: false } : null;
  }

  /** The target of an event of an action; it must be of a kind the catalog lists for the action. */
  private targetOf(parts: ActionParts, action: Action, input: TargetInput | undefined): TargetEntry {
    const kinds = parts.targets;
    if (input === undefined && kinds[0] !== 'account' && !kinds.includes('account')) {
      const example = kinds[0] === 'image' ? `{ type: 'image', reference: 'us.icr.io/<namespace>/<repository>:<tag>' }` : kinds[0] === 'namespace' ? `{ type: 'namespace', name }` : kinds[0] === 'exemption' ? `{ type: 'exemption', id }` : `{ type: 'resource', resourceType: '${kinds[0]}', id }`;
      throw new RegtrailError('MISSING_TARGET', `${action.id} acts on ${kinds.map(article).join(' or ')}: give the target, such as ${example}`);
    }
    const entry = this.resolvedTarget(input, kinds);
    if (entry.kind !== kinds[0] && !kinds.includes(entry.kind)) {
      throw new RegtrailError('WRONG_TARGET', `${action.id} acts on ${kinds.map(article).join(' or ')}, not on ${article(entry.kind)}`);
    }
    return entry;
  }

  private resolvedTarget(input: TargetInput | undefined, kinds: readonly string[]): TargetEntry {
    const t = input ?? ACCOUNT_TARGET;
    const type = t.type;
    if (type === 'account') return (this.account ??= this.resolve(t));
    if (type === 'image') {
      const { reference, resourceGroupId } = t;
      if (typeof reference === 'string' && resourceGroupId === undefined) return this.imageTarget(t, reference);
    } else if (type === 'exemption' || type === 'resource') return this.namedTarget(t, kinds);
    const key = targetKey(t);
    let entry = key === undefined ? undefined : this.targets.get(key);
    if (entry === undefined) {
      entry = this.resolve(t);
      if (key !== undefined) {
        this.targets.set(key, entry);
      }
    }
    return entry;
  }

  /**
   * The message of an action on target `t`. Remembered with the target (whose other parts are
   * read for the same event), and kept small: the many targets of a busy registry should fit in
   * the processor's caches.
   */
  private messageOf(parts: ActionParts, t: TargetEntry, failed: boolean): MessageParts {
    const slot = parts.index * 2 + (failed ? 1 : 0);
    const { messages } = t;
    let message = messages[slot];
    if (message === undefined) {
      const text = `${parts.messagePrefix}${t.name}${failed ? ' -failure' : ''}`;
      // A name with nothing to escape is concatenated to the action's escaped prefix.
      const json = t.safeName ? `${parts.messageJson}${t.name}${failed ? ' -failure"' : '"'}` : `","message":${str(text)}`;
      // A one-shot target's message is read once, with its line: flattening it would be one more copy.
      if (messages === ONE_SHOT) return { message: text, json };
      message = { message: flat(text), json: flat(json) };
      messages[slot] = message;
    }
    return message;
  }

  /** How a request ended; `given*` are the input's fields (each read once: inputs come in many shapes, and each read of one costs a lookup). */
  private endingOf(action: Action, parts: ActionParts, givenOutcome: Outcome | undefined, givenStatus: number | undefined, givenReasonType: string | undefined, reasonForFailure: string | undefined): Ending {
    const outcome = outcomeOf(givenOutcome, givenStatus);
    const status = statusOf(outcome, givenStatus);
    const custom = givenReasonType !== undefined || reasonForFailure !== undefined;
    const key = status * 4 + OUTCOME_INDEX[outcome];
    let ending = custom ? undefined : parts.endings.get(key);
    if (ending === undefined) {
      const reasonType = givenReasonType ?? STATUS_CODES[status] ?? (outcome === 'failure' ? 'Error' : undefined);
      const severity = severityFor(action.severity, outcome, status);
      let json = `,"outcome":"${outcome}","reason":{"reasonCode":${status}`;
      if (reasonType !== undefined) json += `,"reasonType":${str(reasonType)}`;
      if (reasonForFailure !== undefined) json += `,"reasonForFailure":${str(reasonForFailure)}`;
      json += `},"severity":"${severity}","eventTime":"`;
      const strings = (givenReasonType === undefined || typeof givenReasonType === 'string') && (reasonForFailure === undefined || typeof reasonForFailure === 'string');
      let checked = parts.endingChecks.get(key);
      if (checked === undefined) parts.endingChecks.set(key, (checked = { valid: false }));
      ending = { outcome, status, reasonType, severity, json: custom ? json : flat(json), checked: strings ? checked : { valid: false }, lastTime: '', withTime: '' };
      if (!custom) parts.endings.set(key, ending);
    }
    return ending;
  }

  private addressType(ip: string): 'IPv4' | 'IPv6' {
    let v = this.ipVersions.get(ip);
    if (v === undefined) {
      v = isIP(ip);
      if (v === 0) bad(`initiator IP ${JSON.stringify(ip)} is not an IPv4 or IPv6 address (give addressType for a subnet or CSE address)`);
      this.ipVersions.set(ip, v);
    }
    return v === 6 ? 'IPv6' : 'IPv4';
  }

  /** The caller, remembered by IAM id for as long as the same id comes with the same details. */
  private initiatorOf(ini: InitiatorInput | undefined): InitiatorEntry {
    if (!ini || typeof ini !== 'object') bad('the initiator is missing: give at least its IAM id');
    if (typeof ini.id !== 'string' || ini.id === '') bad('initiator id must be a non-empty IAM id, such as IBMid-… or iam-ServiceId-…');
    const known = this.initiators.get(ini.id);
    if (known !== undefined && sameInitiator(known.input, ini)) return known;
    const entry = this.resolveInitiator(ini);
    this.initiators.set(ini.id, entry);
    return entry;
  }

  private resolveInitiator(ini: InitiatorInput): InitiatorEntry {
    const kind = ini.type ?? initiatorKindOf(ini.id);
    if (kind === undefined) bad(`cannot tell what kind of caller ${JSON.stringify(ini.id)} is; give its type (${KINDS.join(', ')})`);
    const typeURI = INITIATOR_TYPE_URIS[kind];
    if (typeURI === undefined) bad(`unknown initiator type ${JSON.stringify(kind)}; expected ${KINDS.join(', ')}`);
    const credential = ini.credential ?? DEFAULT_CREDENTIAL[kind];
    if (!CREDENTIAL_SET.has(credential)) bad(`unknown credential type ${JSON.stringify(credential)}; expected one of ${CREDENTIAL_TYPE_VALUES.join(', ')}`);
    const address = ini.ip ?? '';
    if (typeof address !== 'string') bad('initiator ip must be a string');
    const addressType = ini.addressType === undefined ? (address === '' ? undefined : this.addressType(address)) : checkedAddressType(ini.addressType);
    const name = ini.name || ini.id;
    let json = `{"id":${str(ini.id)},"name":${str(name)},"typeURI":"${typeURI}","credential":{"type":"${credential}"},"host":{"address":${str(address)}`;
    if (addressType !== undefined) json += `,"addressType":"${addressType}"`;
    if (ini.agent !== undefined) json += `,"agent":${str(ini.agent)}`;
    json += '}';
    if (ini.authnId !== undefined) json += `,"authnId":${str(ini.authnId)}`;
    if (ini.authnName !== undefined) json += `,"authnName":${str(ini.authnName)}`;
    json += '}';
    return { input: { ...ini }, name, typeURI, credential, addressType, json: flat(json), valid: false };
  }

  // The parts of the event composed last: what markValid marks (set by every compose).
  private lastAction?: Checked;
  private lastInitiator?: Checked;
  private lastTarget?: Checked;
  private lastEnding?: Checked;

  /** Marks the parts of the event composed last as validated (validateEvent accepted that event whole). */
  markValid(): void {
    this.lastAction!.valid = this.lastInitiator!.valid = this.lastTarget!.valid = this.lastEnding!.valid = true;
  }

  /**
   * The event for one request to `action` at `eventTime`, and its JSON line (without newline).
   * `idIsUuid`: the id is a random UUID (uuid.ts, or crypto.randomUUID). `known`: every part of it but those new with each
   * event was part of an event marked valid (markValid).
   */
  compose(action: Action, input: EmitInput<string>, eventTime: string, id: string | undefined, idIsUuid = false): { event: ActivityEvent; line: string; known: boolean } {
    if (action.dataEvent === 'unclassified') {
      throw new RegtrailError('UNCLASSIFIED_ACTION', `${action.id} cannot be emitted: the catalog does not say whether it is a data or a management event`);
    }
    if (!input || typeof input !== 'object') bad(`the input of ${action.id} must be an object naming at least the initiator`);
    // Each field of the input read once (inputs come in many shapes: each read is a lookup).
    const { initiator: initiatorIn, target: targetIn, outcome: outcomeIn, status: statusIn, reasonType: reasonTypeIn, reasonForFailure, responseData: responseIn, correlationId } = input;
    const requestIn = (input as { requestData?: unknown }).requestData;
    const parts = this.partsOf(action);
    const ini = this.initiatorOf(initiatorIn);
    const t = this.targetOf(parts, action, targetIn);
    const ending = this.endingOf(action, parts, outcomeIn, statusIn, reasonTypeIn, reasonForFailure);
    const message = this.messageOf(parts, t, ending.outcome === 'failure');
    const checked = t.checked;
    const known = parts.valid && ini.valid && checked.valid && ending.checked.valid;
    this.lastAction = parts;
    this.lastInitiator = ini;
    this.lastTarget = checked;
    this.lastEnding = ending.checked;
    let endingJson: string;
    if (ending.lastTime === eventTime) endingJson = ending.withTime;
    else {
      // Kept (flat) for the next events of the same hundredth of a second that end alike.
      endingJson = flat(ending.json + eventTime);
      ending.lastTime = eventTime;
      ending.withTime = endingJson;
    }
    let line = parts.head + ini.json + t.head + (t.end === '}' ? parts.typeURIClose : parts.typeURI + t.end) + endingJson + message.json + parts.tail;

    // The event's own objects, never shared with another event or with the caller.
    const { input: given } = ini;
    const host: Host = { address: given.ip ?? '' };
    if (ini.addressType !== undefined) host.addressType = ini.addressType;
    if (given.agent !== undefined) host.agent = given.agent;
    const initiator: ActivityEvent['initiator'] = { id: given.id, name: ini.name, typeURI: ini.typeURI, credential: { type: ini.credential }, host };
    if (given.authnId !== undefined) initiator.authnId = given.authnId;
    if (given.authnName !== undefined) initiator.authnName = given.authnName;
    const target: ActivityEvent['target'] = { id: t.id, name: t.name, typeURI: action.targetTypeURI };
    if (t.resourceGroupId !== undefined) target.resourceGroupId = t.resourceGroupId;
    const reason: ActivityEvent['reason'] = { reasonCode: ending.status };
    if (ending.reasonType !== undefined) reason.reasonType = ending.reasonType;
    if (reasonForFailure !== undefined) reason.reasonForFailure = reasonForFailure;

    const event: ActivityEvent = {
      action: action.id,
      initiator,
      target,
      outcome: ending.outcome,
      reason,
      severity: ending.severity,
      eventTime,
      message: message.message,
      logSourceCRN: this.logSourceCRN,
      saveServiceCopy: this.ctx.saveServiceCopy,
      observer: { name: OBSERVER_NAME },
      dataEvent: action.dataEvent,
    };
    const requestData = jsonObject(requestIn, 'requestData');
    if (requestData !== undefined) {
      event.requestData = requestData;
      line += `,"requestData":${JSON.stringify(requestData)}`;
    }
    const responseData = jsonObject(responseIn, 'responseData');
    if (responseData !== undefined) {
      event.responseData = responseData;
      line += `,"responseData":${JSON.stringify(responseData)}`;
    }
    if (id !== undefined) {
      event.id = id;
      // A UUID needs no escaping.
      line += idIsUuid ? `,"id":"${id}"` : `,"id":${str(id)}`;
    }
    if (correlationId !== undefined) {
      event.correlationId = correlationId;
      line += `,"correlationId":${str(correlationId)}`;
    }
    return { event, line: `${line}}`, known };
  }
}

/** Whether two initiator inputs name the same caller with the same details. */
function sameInitiator(a: Readonly<InitiatorInput>, b: InitiatorInput): boolean {
  return (
    a.id === b.id && a.name === b.name && a.ip === b.ip && a.type === b.type && a.credential === b.credential &&
    a.addressType === b.addressType && a.agent === b.agent && a.authnId === b.authnId && a.authnName === b.authnName
  );
}

const ACCOUNT_TARGET: TargetInput = { type: 'account' };

function checkedAddressType(value: string): AddressType {
  if (!(ADDRESS_TYPE_VALUES as readonly string[]).includes(value)) bad(`unknown address type ${JSON.stringify(value)}; expected ${ADDRESS_TYPE_VALUES.join(', ')}`);
  return value as AddressType;
}

/** A key for remembering a resolved target; undefined for inputs not worth remembering. */
function targetKey(t: TargetInput): string | undefined {
  if (!t || typeof t !== 'object') return undefined;
  switch (t.type) {
    case 'image':
      return typeof t.reference === 'string' ? `i\u0000${t.reference}\u0000${t.digest ?? ''}\u0000${t.resourceGroupId ?? ''}` : undefined;
    case 'namespace':
      return typeof t.name === 'string' ? `n\u0000${t.name}\u0000${t.resourceGroupId ?? ''}` : undefined;
    default:
      return undefined;
  }
}
