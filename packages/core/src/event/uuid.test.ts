import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidBatch } from '../hot-state.js';
import { formatUuids, randomUuid } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The reference: Buffer's own hex of the same bytes, version and variant set, dashes between the groups. */
function reference(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

describe('formatUuids', () => {
  it('writes what Buffer hex writes for the same bytes, for every byte value in every place', () => {
    const inputs = [new Uint8Array(16), new Uint8Array(16).fill(0xff), ...Array.from({ length: 256 }, (_, v) => new Uint8Array(16).fill(v)), ...Array.from({ length: 500 }, () => randomBytes(16))];
    const entropy = new Uint8Array(16 * inputs.length);
    inputs.forEach((b, i) => entropy.set(b, i * 16));
    const ascii = Buffer.alloc(36 * inputs.length);
    expect(formatUuids(entropy, ascii)).toBe(ascii.length);
    const text = ascii.toString('latin1');
    inputs.forEach((b, i) => expect(text.slice(i * 36, i * 36 + 36)).toBe(reference(b)));
  });
});

describe('randomUuid', () => {
  it('makes distinct version 4 UUIDs across several batches', () => {
    const ids = Array.from({ length: uuidBatch.size * 5 + 3 }, randomUuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves every bit but the version and variant to chance', () => {
    // Over 2,000 ids each of the 122 random bits is 0 in some and 1 in others (a fixed bit would fail).
    const ids = Array.from({ length: 2000 }, () => Buffer.from(randomUuid().replaceAll('-', ''), 'hex'));
    for (let bit = 0; bit < 128; bit++) {
      const byte = bit >> 3;
      const mask = 0x80 >> (bit & 7);
      const fixed = (byte === 6 && mask >= 0x10) || (byte === 8 && mask >= 0x40);
      const ones = ids.filter((b) => (b[byte]! & mask) !== 0).length;
      if (fixed) expect(ones, `bit ${bit}`).toBe(byte === 6 ? (mask === 0x40 ? ids.length : 0) : mask === 0x80 ? ids.length : 0);
      else {
        expect(ones, `bit ${bit}`).toBeGreaterThan(800);
        expect(ones, `bit ${bit}`).toBeLessThan(1200);
      }
    }
  });
});
