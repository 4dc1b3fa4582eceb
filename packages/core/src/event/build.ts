import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { RegtrailError } from '../errors.js';
import type { Action } from '../catalog/catalog.js';
import type { Region } from '../regions/regions.js';
import { accountScope, CRN_SERVICE, formatCrn } from './crn.js';
import type { EmitInput, InitiatorInput, InitiatorKind } from './input.js';
import { formatMessage } from './message.js';
import { redact } from './redact.js';
import { severityFor } from './severity.js';
import { resolveTarget } from './target.js';
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

function initiatorOf(input: InitiatorInput | undefined): ActivityEvent['initiator'] {
  if (!input || typeof input !== 'object') bad('the initiator is missing: give at least its IAM id');
  if (typeof input.id !== 'string' || input.id === '') bad('initiator id must be a non-empty IAM id, such as IBMid-… or iam-ServiceId-…');
  const kind = input.type ?? initiatorKindOf(input.id);
  if (kind === undefined) bad(`cannot tell what kind of caller ${JSON.stringify(input.id)} is; give its type (user, serviceid, certificateid or clientid)`);
  const typeURI = INITIATOR_TYPE_URIS[kind];
  if (typeURI === undefined) bad(`unknown initiator type ${JSON.stringify(kind)}; expected user, serviceid, certificateid or clientid`);
  const credential = input.credential ?? DEFAULT_CREDENTIAL[kind];
  if (!CREDENTIAL_TYPES.includes(credential)) bad(`unknown credential type ${JSON.stringify(credential)}; expected one of ${CREDENTIAL_TYPES.join(', ')}`);
  const address = input.ip ?? '';
  let addressType = input.addressType;
  if (addressType === undefined && address !== '') {
    const v = isIP(address);
    if (v === 0) bad(`initiator IP ${JSON.stringify(address)} is not an IPv4 or IPv6 address (give addressType for a subnet or CSE address)`);
    addressType = v === 6 ? 'IPv6' : 'IPv4';
  }
  const host: ActivityEvent['initiator']['host'] = { address };
  if (addressType !== undefined) host.addressType = addressType;
  if (input.agent !== undefined) host.agent = input.agent;
  const out: ActivityEvent['initiator'] = { id: input.id, name: input.name || input.id, typeURI, credential: { type: credential }, host };
  if (input.authnId !== undefined) out.authnId = input.authnId;
  if (input.authnName !== undefined) out.authnName = input.authnName;
  return out;
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

/**
 * Builds the event for one request to `action`, at `eventTime`, with `id`. Pure: no clock, no
 * randomness, no I/O. Secrets in requestData and responseData are redacted, and the caller's
 * objects are copied, never changed.
 */
export function buildEvent(action: Action, input: EmitInput<string>, ctx: BuildContext, eventTime: string, id: string | undefined): ActivityEvent {
  if (action.dataEvent === 'unclassified') {
    throw new RegtrailError('UNCLASSIFIED_ACTION', `${action.id} cannot be emitted: the catalog does not say whether it is a data or a management event`);
  }
  if (!input || typeof input !== 'object') bad(`the input of ${action.id} must be an object naming at least the initiator`);
  const initiator = initiatorOf(input.initiator);
  const target = resolveTarget(input.target, ctx.accountId, ctx.region);
  const { outcome, status } = outcomeOf(input);
  const reason: ActivityEvent['reason'] = { reasonCode: status };
  const reasonType = input.reasonType ?? STATUS_CODES[status];
  if (reasonType !== undefined) reason.reasonType = reasonType;
  else if (outcome === 'failure') reason.reasonType = 'Error';
  if (input.reasonForFailure !== undefined) reason.reasonForFailure = input.reasonForFailure;
  const event: ActivityEvent = {
    action: action.id,
    initiator,
    target: { id: target.id, name: target.name, typeURI: action.targetTypeURI },
    outcome,
    reason,
    severity: severityFor(action.severity, outcome, status),
    eventTime,
    message: formatMessage(ctx.serviceDisplayName, action.verb, action.objectType, target.name, outcome),
    logSourceCRN: formatCrn({ serviceName: CRN_SERVICE, location: ctx.region.crnLocation, scope: accountScope(ctx.accountId), serviceInstance: ctx.instanceId ?? '' }),
    saveServiceCopy: ctx.saveServiceCopy,
    observer: { name: 'ActivityTracker' },
    dataEvent: action.dataEvent,
  };
  if (target.resourceGroupId !== undefined) event.target.resourceGroupId = target.resourceGroupId;
  const requestData = jsonObject((input as { requestData?: unknown }).requestData, 'requestData');
  if (requestData !== undefined) event.requestData = requestData;
  const responseData = jsonObject(input.responseData, 'responseData');
  if (responseData !== undefined) event.responseData = responseData;
  if (id !== undefined) event.id = id;
  if (input.correlationId !== undefined) event.correlationId = input.correlationId;
  return event;
}
