import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { RegtrailError } from '../errors.js';
import type { Action } from '../catalog/catalog.js';
import type { Region } from '../regions/regions.js';
import { accountScope, CRN_SERVICE, formatCrn } from './crn.js';
import type { EmitInput, InitiatorInput, InitiatorKind, TargetInput } from './input.js';
import { redact } from './redact.js';
import { severityFor } from './severity.js';
import { resolveTarget, type ResolvedTarget } from './target.js';
import type { ActivityEvent, CredentialType, InitiatorTypeURI, Outcome } from './types.js';

/** Everything about the emitting service that is the same for every event. */
export interface BuildContext {
  accountId: string;
  /** The emitter's region: where every resource but an image lives, and where logSourceCRN points. */
  region: Region;
  instanceId?: string;
  serviceDisplayName: string;
  saveServiceCopy: boolean;
}

export const INITIATOR_TYPE_URIS: Readonly<Record<InitiatorKind, InitiatorTypeURI>> = {
  user: 'service/security/account/user',
  serviceid: 'service/security/account/serviceid',
  certificateid: 'service/security/client/certificateid',
  clientid: 'service/security/clientid',
};

const DEFAULT_CREDENTIAL: Readonly<Record<InitiatorKind, CredentialType>> = {
  user: 'token',
  serviceid: 'apikey',
  certificateid: 'certificate',
  clientid: 'token',
};

export const CREDENTIAL_TYPES: readonly CredentialType[] = [
  'token', 'user', 'apikey', 'certificate', 'public-access', 'hmac', 'compute-resource', 'instance-identity-token', 'apikey-serviceid', 's2s-authorization',
];

const CREDENTIAL_SET: ReadonlySet<string> = new Set(CREDENTIAL_TYPES);
const OUTCOMES: readonly Outcome[] = ['success', 'pending', 'failure'];

/** The kind of caller an IAM id names, from its prefix; undefined when the prefix says nothing. */
export function initiatorKindOf(id: string): InitiatorKind | undefined {
  if (id.startsWith('IBMid-')) return 'user';
  if (id.startsWith('iam-ServiceId-') || id.startsWith('ServiceId-')) return 'serviceid';
  if (id.startsWith('CertificateId-')) return 'certificateid';
  return undefined;
}

function bad(message: string): never {
  throw new RegtrailError('BAD_EVENT_INPUT', message);
}

function outcomeOf(input: { outcome?: Outcome; status?: number }): { outcome: Outcome; status: number } {
  const { status } = input;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) bad(`status ${JSON.stringify(status)} is not an HTTP status code (100-599)`);
  if (input.outcome !== undefined && !OUTCOMES.includes(input.outcome)) bad(`unknown outcome ${JSON.stringify(input.outcome)}; expected success, pending or failure`);
  const outcome: Outcome = input.outcome ?? (status !== undefined && status >= 400 ? 'failure' : 'success');
  const code = status ?? (outcome === 'failure' ? 500 : outcome === 'pending' ? 202 : 200);
  if (outcome === 'failure' && code < 400) bad(`outcome failure does not go with status ${code}; a failed request has a 4xx or 5xx status`);
  if (outcome !== 'failure' && code >= 400) bad(`outcome ${outcome} does not go with status ${code}; a 4xx or 5xx status is a failure`);
  return { outcome, status: code };
}

function jsonObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(`${what} must be a JSON object`);
  return redact(value as Record<string, unknown>);
}

// Characters a JSON string must escape, and lone surrogates (which well-formed JSON.stringify escapes).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string): string => (s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s));

interface TargetEntry extends ResolvedTarget {
  /** `"id":…,"name":…` of the target, written once. */
  readonly json: string;
  /** target.name escaped for the inside of a JSON string. */
  readonly nameInJson: string;
}

interface ActionParts {
  readonly head: string;
  readonly typeURI: string;
  readonly dataEvent: string;
  readonly messagePrefix: string;
  readonly messagePrefixInJson: string;
}

const CACHE_LIMIT = 4096;

/**
 * Builds events and, in the same pass, their JSON line: everything that is the same for every
 * event of an emitter or of an action is written once, resolved targets are remembered (images
 * and namespaces repeat), and only the free-form requestData/responseData go through
 * JSON.stringify. The line is exactly what serializeEvent writes for the event.
 */
export class EventComposer {
  private readonly logSourceCRN: string;
  private readonly tail: string;
  private readonly targets = new Map<string, TargetEntry>();
  /** Images by reference, then by digest ('' for none): keyed by the caller's own strings, whose hashes V8 keeps. */
  private readonly images = new Map<string, Map<string, TargetEntry>>();
  private imageCount = 0;
  private account?: TargetEntry;
  private readonly ipVersions = new Map<string, number>();
  private readonly actions = new Map<string, ActionParts>();

  constructor(private readonly ctx: BuildContext) {
    this.logSourceCRN = formatCrn({ serviceName: CRN_SERVICE, location: ctx.region.crnLocation, scope: accountScope(ctx.accountId), serviceInstance: ctx.instanceId ?? '' });
    this.tail = `,"logSourceCRN":${str(this.logSourceCRN)},"saveServiceCopy":${ctx.saveServiceCopy ? 'true' : 'false'},"observer":{"name":"ActivityTracker"}`;
  }

  private partsOf(action: Action): ActionParts {
    let parts = this.actions.get(action.id);
    if (parts === undefined) {
      const messagePrefix = `${this.ctx.serviceDisplayName}: ${action.verb.toLowerCase()} ${action.objectType.toLowerCase()} `;
      parts = {
        head: `{"action":${str(action.id)},"initiator":`,
        typeURI: `,"typeURI":${str(action.targetTypeURI)}`,
        dataEvent: `,"dataEvent":${action.dataEvent === true ? 'true' : 'false'}`,
        messagePrefix,
        messagePrefixInJson: JSON.stringify(messagePrefix).slice(1, -1),
      };
      this.actions.set(action.id, parts);
    }
    return parts;
  }

  private resolve(t: TargetInput): TargetEntry {
    const r = resolveTarget(t, this.ctx.accountId, this.ctx.region);
    const name = str(r.name);
    return { ...r, json: `"id":${str(r.id)},"name":${name}`, nameInJson: name.slice(1, -1) };
  }

  private targetOf(input: TargetInput | undefined): TargetEntry {
    const t = input ?? ACCOUNT_TARGET;
    if (t.type === 'account') return (this.account ??= this.resolve(t));
    if (t.type === 'image' && typeof t.reference === 'string' && t.resourceGroupId === undefined) {
      let byDigest = this.images.get(t.reference);
      const digest = t.digest ?? '';
      let entry = byDigest?.get(digest);
      if (entry === undefined) {
        entry = this.resolve(t);
        if (this.imageCount >= CACHE_LIMIT) {
          this.images.clear();
          this.imageCount = 0;
          byDigest = undefined;
        }
        if (byDigest === undefined) this.images.set(t.reference, (byDigest = new Map()));
        byDigest.set(digest, entry);
        this.imageCount++;
      }
      return entry;
    }
    const key = targetKey(t);
    let entry = key === undefined ? undefined : this.targets.get(key);
    if (entry === undefined) {
      entry = this.resolve(t);
      if (key !== undefined) {
        if (this.targets.size >= CACHE_LIMIT) this.targets.clear();
        this.targets.set(key, entry);
      }
    }
    return entry;
  }

  private addressType(ip: string): 'IPv4' | 'IPv6' {
    let v = this.ipVersions.get(ip);
    if (v === undefined) {
      v = isIP(ip);
      if (v === 0) bad(`initiator IP ${JSON.stringify(ip)} is not an IPv4 or IPv6 address (give addressType for a subnet or CSE address)`);
      if (this.ipVersions.size >= CACHE_LIMIT) this.ipVersions.clear();
      this.ipVersions.set(ip, v);
    }
    return v === 6 ? 'IPv6' : 'IPv4';
  }

  private initiatorOf(ini: InitiatorInput | undefined): { initiator: ActivityEvent['initiator']; json: string } {
    if (!ini || typeof ini !== 'object') bad('the initiator is missing: give at least its IAM id');
    if (typeof ini.id !== 'string' || ini.id === '') bad('initiator id must be a non-empty IAM id, such as IBMid-… or iam-ServiceId-…');
    const kind = ini.type ?? initiatorKindOf(ini.id);
    if (kind === undefined) bad(`cannot tell what kind of caller ${JSON.stringify(ini.id)} is; give its type (user, serviceid, certificateid or clientid)`);
    const typeURI = INITIATOR_TYPE_URIS[kind];
    if (typeURI === undefined) bad(`unknown initiator type ${JSON.stringify(kind)}; expected user, serviceid, certificateid or clientid`);
    const credential = ini.credential ?? DEFAULT_CREDENTIAL[kind];
    if (!CREDENTIAL_SET.has(credential)) bad(`unknown credential type ${JSON.stringify(credential)}; expected one of ${CREDENTIAL_TYPES.join(', ')}`);
    const address = ini.ip ?? '';
    if (typeof address !== 'string') bad('initiator ip must be a string');
    const addressType = ini.addressType === undefined ? (address === '' ? undefined : this.addressType(address)) : checkedAddressType(ini.addressType);
    const name = ini.name || ini.id;
    const host: ActivityEvent['initiator']['host'] = { address };
    let json = `{"id":${str(ini.id)},"name":${str(name)},"typeURI":"${typeURI}","credential":{"type":"${credential}"},"host":{"address":${str(address)}`;
    if (addressType !== undefined) {
      host.addressType = addressType;
      json += `,"addressType":"${addressType}"`;
    }
    if (ini.agent !== undefined) {
      host.agent = ini.agent;
      json += `,"agent":${str(ini.agent)}`;
    }
    json += '}';
    const initiator: ActivityEvent['initiator'] = { id: ini.id, name, typeURI, credential: { type: credential }, host };
    if (ini.authnId !== undefined) {
      initiator.authnId = ini.authnId;
      json += `,"authnId":${str(ini.authnId)}`;
    }
    if (ini.authnName !== undefined) {
      initiator.authnName = ini.authnName;
      json += `,"authnName":${str(ini.authnName)}`;
    }
    json += '}';
    return { initiator, json };
  }

  /** The event for one request to `action` at `eventTime`, and its JSON line (without newline). */
  compose(action: Action, input: EmitInput<string>, eventTime: string, id: string | undefined): { event: ActivityEvent; line: string } {
    if (action.dataEvent === 'unclassified') {
      throw new RegtrailError('UNCLASSIFIED_ACTION', `${action.id} cannot be emitted: the catalog does not say whether it is a data or a management event`);
    }
    if (!input || typeof input !== 'object') bad(`the input of ${action.id} must be an object naming at least the initiator`);
    const parts = this.partsOf(action);

    // initiator
    const { initiator, json: initiatorJson } = this.initiatorOf(input.initiator);
    let line = `${parts.head}${initiatorJson}`;

    // target
    const t = this.targetOf(input.target);
    const target: ActivityEvent['target'] = { id: t.id, name: t.name, typeURI: action.targetTypeURI };
    line += `,"target":{${t.json}${parts.typeURI}`;
    if (t.resourceGroupId !== undefined) {
      target.resourceGroupId = t.resourceGroupId;
      line += `,"resourceGroupId":${str(t.resourceGroupId)}`;
    }

    // outcome, reason, severity, time, message
    const { outcome, status } = outcomeOf(input);
    const reason: ActivityEvent['reason'] = { reasonCode: status };
    line += `},"outcome":"${outcome}","reason":{"reasonCode":${status}`;
    const reasonType = input.reasonType ?? STATUS_CODES[status] ?? (outcome === 'failure' ? 'Error' : undefined);
    if (reasonType !== undefined) {
      reason.reasonType = reasonType;
      line += `,"reasonType":${str(reasonType)}`;
    }
    if (input.reasonForFailure !== undefined) {
      reason.reasonForFailure = input.reasonForFailure;
      line += `,"reasonForFailure":${str(input.reasonForFailure)}`;
    }
    const severity = severityFor(action.severity, outcome, status);
    const failed = outcome === 'failure';
    const message = `${parts.messagePrefix}${t.name}${failed ? ' -failure' : ''}`;
    line += `},"severity":"${severity}","eventTime":"${eventTime}","message":"${parts.messagePrefixInJson}${t.nameInJson}${failed ? ' -failure' : ''}"${this.tail}${parts.dataEvent}`;

    const event: ActivityEvent = {
      action: action.id,
      initiator,
      target,
      outcome,
      reason,
      severity,
      eventTime,
      message,
      logSourceCRN: this.logSourceCRN,
      saveServiceCopy: this.ctx.saveServiceCopy,
      observer: { name: 'ActivityTracker' },
      dataEvent: action.dataEvent,
    };
    const requestData = jsonObject((input as { requestData?: unknown }).requestData, 'requestData');
    if (requestData !== undefined) {
      event.requestData = requestData;
      line += `,"requestData":${JSON.stringify(requestData)}`;
    }
    const responseData = jsonObject(input.responseData, 'responseData');
    if (responseData !== undefined) {
      event.responseData = responseData;
      line += `,"responseData":${JSON.stringify(responseData)}`;
    }
    if (id !== undefined) {
      event.id = id;
      line += `,"id":${str(id)}`;
    }
    if (input.correlationId !== undefined) {
      event.correlationId = input.correlationId;
      line += `,"correlationId":${str(input.correlationId)}`;
    }
    return { event, line: `${line}}` };
  }
}

const ACCOUNT_TARGET: TargetInput = { type: 'account' };

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'CSE', 'subnet'] as const;

function checkedAddressType(value: string): (typeof ADDRESS_TYPES)[number] {
  if (!(ADDRESS_TYPES as readonly string[]).includes(value)) bad(`unknown address type ${JSON.stringify(value)}; expected IPv4, IPv6, CSE or subnet`);
  return value as (typeof ADDRESS_TYPES)[number];
}

/** A key for remembering a resolved target; undefined for inputs not worth remembering. */
function targetKey(t: TargetInput): string | undefined {
  if (!t || typeof t !== 'object') return undefined;
  switch (t.type) {
    case 'account':
      return 'a';
    case 'image':
      return typeof t.reference === 'string' ? `i\u0000${t.reference}\u0000${t.digest ?? ''}\u0000${t.resourceGroupId ?? ''}` : undefined;
    case 'namespace':
      return typeof t.name === 'string' ? `n\u0000${t.name}\u0000${t.resourceGroupId ?? ''}` : undefined;
    default:
      return undefined;
  }
}

/**
 * Builds the event for one request to `action`, at `eventTime`, with `id`. Pure: no clock, no
 * randomness, no I/O. Secrets in requestData and responseData are redacted, and the caller's
 * objects are copied, never changed.
 */
export function buildEvent(action: Action, input: EmitInput<string>, ctx: BuildContext, eventTime: string, id: string | undefined): ActivityEvent {
  return new EventComposer(ctx).compose(action, input, eventTime, id).event;
}
