import { readFileSync } from 'node:fs';
import { createEmitter, fileSink, validateEvent } from '@regtrail/core';

const file = process.argv[2] ?? 'events.ndjson';

// One emitter per customer account, in the region the service runs in, writing NDJSON to a file
// (rotated at 50 MB).
const emitter = createEmitter({
  accountId: 'a1b2c3',
  region: 'us-south',
  sink: fileSink({ path: file, maxBytes: 50_000_000 }),
});

// Say who did what to which resource, and how it went; the emitter derives the rest.
const pushed = await emitter.emit('image.push', {
  initiator: { id: 'IBMid-310000ABCD', name: 'dev@example.com', ip: '203.0.113.7' },
  target: { type: 'image', reference: 'us.icr.io/team-a/app:1.4' },
});
const refused = await emitter.emit('namespace.create', {
  initiator: { id: 'iam-ServiceId-1234', name: 'ci-pipeline' },
  target: { type: 'namespace', name: 'team-a' },
  status: 409,
});
await emitter.close(); // writes what is buffered and syncs the file

console.log(pushed.message);
console.log(pushed.target.id);
console.log(`${refused.message} (${refused.severity})`);

// Every line of the file is one event; check each one as a consumer would.
for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
  const { ok, problems } = validateEvent(JSON.parse(line));
  console.log(ok ? 'valid' : problems);
}
