/**
 * An IBM Cloud activity-tracking event (CADF based, the post-2019 form with the CADF fields at the
 * top level). Field rules are in shared/reference/event-model-facts.md and in the event schema.
 */
export type Outcome = 'success' | 'pending' | 'failure';
export type EventSeverity = 'normal' | 'warning' | 'critical';

export type InitiatorTypeURI =
  | 'service/security/account/user'
  | 'service/security/account/serviceid'
  | 'service/security/client/certificateid'
  | 'service/security/clientid';

export type CredentialType =
  | 'token'
  | 'user'
  | 'apikey'
  | 'certificate'
  | 'public-access'
  | 'hmac'
  | 'compute-resource'
  | 'instance-identity-token'
  | 'apikey-serviceid'
  | 's2s-authorization';

export interface ActivityEvent {
  action: string;
  initiator: {
    id: string;
    name: string;
    typeURI: InitiatorTypeURI;
    credential: { type: CredentialType };
    host: { address: string; addressType?: 'IPv4' | 'IPv6' | 'CSE' | 'subnet'; agent?: string };
    authnId?: string;
    authnName?: string;
  };
  target: {
    id: string;
    name: string;
    typeURI: string;
    resourceGroupId?: string;
    host?: { address: string };
    alias?: string;
  };
  outcome: Outcome;
  reason: { reasonCode: number; reasonType?: string; reasonForFailure?: string };
  severity: EventSeverity;
  eventTime: string;
  message: string;
  logSourceCRN: string;
  saveServiceCopy: boolean;
  observer: { name: 'ActivityTracker' };
  dataEvent: boolean;
  requestData?: Record<string, unknown>;
  responseData?: Record<string, unknown>;
  id?: string;
  correlationId?: string;
}
