import { randomUUID } from 'node:crypto';
import type { ActivityEvent } from '../src/index.js';

/**
 * A complete ActivityEvent literal for delivery tests (the reference emitter is written
 * elsewhere): `location` is the CRN location (us-east is the global registry), `time` the
 * eventTime.
 */
export function testEvent(overrides: { id?: string; location?: string; time?: string; account?: string } & Partial<ActivityEvent> = {}): ActivityEvent {
  const { location = 'us-south', time = '2025-06-01T12:00:00.000Z', account = '0123456789abcdef0123456789abcdef', ...rest } = overrides;
  const id = overrides.id ?? randomUUID();
  return {
    id,
    action: 'container-registry.image.push',
    initiator: {
      id: 'IBMid-270000ABCD',
      name: 'dev@example.test',
      typeURI: 'service/security/account/user',
      credential: { type: 'token' },
      host: { address: '192.0.2.10', addressType: 'IPv4', agent: 'docker/27.0' },
    },
    target: {
      id: `crn:v1:bluemix:public:container-registry:${location}:a/${account}::image:team/app`,
      name: 'team/app',
      typeURI: 'container-registry/image',
    },
    outcome: 'success',
    reason: { reasonCode: 200, reasonType: 'OK' },
    severity: 'normal',
    eventTime: time,
    message: 'Container Registry: push image team/app:1.0',
    logSourceCRN: `crn:v1:bluemix:public:container-registry:${location}:a/${account}::`,
    saveServiceCopy: true,
    observer: { name: 'ActivityTracker' },
    dataEvent: false,
    requestData: { tag: '1.0' },
    ...rest,
  };
}
