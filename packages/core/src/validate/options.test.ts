import { describe, expect, it } from 'vitest';
import { createEmitter, memorySink, validateEvent } from '../index.js';

describe('validateEvent options', () => {
  const event = createEmitter({ accountId: 'abc123', region: 'us-south', sink: memorySink(), clock: () => Date.UTC(2025, 0, 15, 8) }).build('image.push', {
    initiator: { id: 'IBMid-42', name: 'dev@example.com', ip: '198.51.100.4' },
    target: { type: 'image', reference: 'us.icr.io/ns/app:1.0' },
    requestData: { headers: { 'X-Auth-Token': 'secret' } },
  });

  it('the emitter redacts what the secret search looks for', () => {
    expect((event.requestData as { headers: Record<string, string> }).headers['X-Auth-Token']).toBe('[REDACTED]');
    expect(validateEvent(event).ok).toBe(true);
  });

  it('secretsRedacted skips only the secret search', () => {
    const leaked = { ...event, requestData: { headers: { 'X-Auth-Token': 'secret' } } };
    expect(validateEvent(leaked).problems.map((p) => p.path)).toEqual(['/requestData/headers/X-Auth-Token']);
    expect(validateEvent(leaked, { secretsRedacted: true }).ok).toBe(true);
    expect(validateEvent({ ...leaked, severity: 'bogus' }, { secretsRedacted: true }).ok).toBe(false);
  });
});
