import { validateEvent } from '@regtrail/core';

// An event some other service wrote by hand, with a few mistakes.
const event = {
  action: 'container-registry.image.pull',
  initiator: {
    id: 'IBMid-310000ABCD',
    name: 'dev@example.com',
    typeURI: 'service/security/account/user',
    credential: { type: 'token' },
    host: { address: '203.0.113.7' },
  },
  target: {
    id: 'crn:v1:bluemix:public:container-registry:us-south:a/a1b2c3::image:team-a/app:1.4',
    name: 'us.icr.io/team-a/app:1.4',
    typeURI: 'container-registry/image',
  },
  outcome: 'failure',
  reason: { reasonCode: 403 },
  severity: 'warning',
  eventTime: '2025-03-01T12:00:00Z',
  message: 'IBM Cloud Container Registry: pull image us.icr.io/team-a/app:1.4 -failure',
  logSourceCRN: 'crn:v1:bluemix:public:container-registry:us-south:a/a1b2c3:::',
  saveServiceCopy: true,
  observer: { name: 'ActivityTracker' },
  dataEvent: true,
  requestData: { headers: { Authorization: 'Bearer eyJraWQ' } },
};

// Never throws: ok, and every problem with a JSON pointer to the field.
const { ok, problems } = validateEvent(event);
console.log(ok ? 'valid' : `${problems.length} problems:`);
for (const p of problems) console.log(`  ${p.path}: ${p.message}`);
