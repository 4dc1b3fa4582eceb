import { describe, expect, it } from 'vitest';
import { BatchBodies, Batcher } from './batcher.js';
import { backoffDelay, classify, parseRetryAfter } from './retry.js';
import { RangeSet } from './range-set.js';
import { redactor } from './redact.js';
import { createRouter } from './route.js';
import { testEvent } from '../../../test/events.js';

describe('retry rules', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 2.5 ', now)).toBe(2500);
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('classifies statuses', () => {
    expect(classify(202, null).kind).toBe('delivered');
    expect(classify(413, null).kind).toBe('split');
    for (const s of [408, 425, 429, 500, 502, 503, 504]) expect(classify(s, null).kind).toBe('retry');
    for (const s of [400, 401, 403, 404, 409, 422]) expect(classify(s, null).kind).toBe('reject');
    // A redirect is never followed, and never final: the events wait in the spool.
    for (const s of [301, 302, 303, 307, 308]) expect(classify(s, null).kind).toBe('retry');
    expect(classify(429, '3')).toEqual({ kind: 'retry', retryAfterMs: 3000 });
  });

  it('backs off exponentially with full jitter, capped, never sooner than Retry-After', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: Infinity, maxRetryAfterMs: 5000 };
    expect(backoffDelay(policy, 1, undefined, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, undefined, () => 0.999)).toBe(399);
    expect(backoffDelay(policy, 30, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(0);
    expect(backoffDelay(policy, 1, 2000, () => 0.5)).toBe(2000);
    expect(backoffDelay(policy, 1, 60_000, () => 0.5)).toBe(5000);
  });
});

describe('RangeSet', () => {
  it('merges ranges and answers coverage', () => {
    const set = new RangeSet();
    for (const n of [5, 3, 4, 10, 1, 2, 12, 11]) set.add(n);
    expect(set.toJSON()).toEqual([[1, 5], [10, 12]]);
    expect(set.covers(1, 5)).toBe(true);
    expect(set.covers(4, 10)).toBe(false);
    expect(set.has(7)).toBe(false);
    set.addRange(6, 9);
    expect(set.toJSON()).toEqual([[1, 12]]);
    set.pruneBelow(4);
    expect(set.toJSON()).toEqual([[4, 12]]);
    expect(set.max()).toBe(12);
  });
});

describe('redactor', () => {
  it('replaces every occurrence of a secret', () => {
    const r = redactor(['s3cr3t-token', undefined]);
    expect(r('a s3cr3t-token b s3cr3t-token')).toBe('a [REDACTED] b [REDACTED]');
    expect(redactor(['ab'])('ab')).toBe('ab');
  });

  // An endpoint may echo the credentials back in any encoding: each one is redacted.
  const token = 'tok/Se+cr=t:"x\\y ü';
  const header = `Bearer ${token}`;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  it.each([
    ['raw', token],
    ['URL-encoded', encodeURIComponent(token)],
    ['URL-encoded, lower-case hex', encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['form-encoded (spaces as +)', encodeURIComponent(token).replace(/%20/g, '+')],
    ['the header, URL-encoded', encodeURIComponent(header)],
    ['base64', b64(token)],
    ['base64url', b64url(token)],
    ['the header, base64', b64(header)],
    ['JSON-escaped', JSON.stringify(token).slice(1, -1)],
    ['JSON-escaped, ASCII only', JSON.stringify(token).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
  ])('redacts the token %s', (_how, echoed) => {
    const out = redactor([token])(`error: got ${echoed} back`);
    // The whole echo, or the token inside an encoded header (`Bearer%20[REDACTED]`).
    expect(out).toMatch(/^error: got (Bearer(%20|\+))?\[REDACTED\] back$/);
  });
});

describe('routing', () => {
  it('refuses an ingestion URL with credentials in it, pointing to tokenEnv', () => {
    const route = createRouter('https://user:s3cret@ingest.{location}.example.test/v1/events');
    expect(() => route(testEvent({ id: 'x' }))).toThrow(/carries a user name or password; give the token with tokenEnv/);
    expect(() => route(testEvent({ id: 'x' }))).not.toThrow(/s3cret/);
    expect(createRouter('https://ingest.{location}.example.test/v1/events')(testEvent({ id: 'x' })).url).toMatch(/^https:\/\/ingest\./);
  });
});

describe('batch body', () => {
  it('is the JSON array of the entries, byte for byte, whatever their characters, while blocks and bodies are reused', () => {
    const batcher = new Batcher({ maxEvents: 3, maxBytes: 1024 * 1024, maxAgeMs: 1000 });
    const bodies = new BatchBodies(1024 * 1024, 1);
    const texts = ['映像 🚀 é', '\u2028 "quoted" \\', 'x'.repeat(300 * 1024), 'plain', '', 'ü'.repeat(1000)];
    let seq = 0;
    // Rounds of adding, sending and releasing: later rounds reuse the blocks and bodies of earlier ones.
    for (let round = 0; round < 40; round++) {
      const values = Array.from({ length: 1 + (round % 4) }, (_, k) => ({ round, k, text: texts[(round + k) % texts.length] }));
      for (const v of values) {
        const json = JSON.stringify(v);
        batcher.add(seq++, json, Buffer.byteLength(json), `http://x/${round % 2}`, 'us-south', 0);
      }
      const seen: unknown[] = [];
      for (let batch = batcher.take(true); batch; batch = batcher.take(true)) {
        const body = bodies.take(batch);
        expect(body.length).toBe(batch.entries.reduce((n, e) => n + e.bytes + 1, 1));
        seen.push(...(JSON.parse(body.toString('utf8')) as unknown[]));
        expect(batch.entries.map((e) => JSON.parse(e.json) as unknown)).toEqual(JSON.parse(body.toString('utf8')));
        bodies.release(body);
        batcher.release(batch.entries);
      }
      expect(seen).toEqual(values);
    }
  });
});
