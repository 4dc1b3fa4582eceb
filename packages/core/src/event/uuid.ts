import { randomFillSync } from 'node:crypto';
import { uuidBatch } from '../hot-state.js';

/** The ASCII codes of the lower-case hex digits, by value (also the simulator's). */
export const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;

/**
 * Writes the version 4 UUIDs of `entropy` (16 bytes each; the version and variant bits are set in
 * place, RFC 9562 §5.4) to `ascii` as text (36 bytes each, lower-case, with dashes), and returns
 * how many bytes it wrote.
 */
export function formatUuids(entropy: Uint8Array, ascii: Uint8Array): number {
  let p = 0;
  for (let o = 0; o + 16 <= entropy.length; o += 16) {
    entropy[o + 6] = (entropy[o + 6]! & 0x0f) | 0x40;
    entropy[o + 8] = (entropy[o + 8]! & 0x3f) | 0x80;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) ascii[p++] = DASH;
      const b = entropy[o + i]!;
      ascii[p++] = HEX_DIGITS[b >> 4]!;
      ascii[p++] = HEX_DIGITS[b & 15]!;
    }
  }
  return p;
}

/**
 * A random (version 4) UUID, as `crypto.randomUUID` makes one, from the same source
 * (`crypto.randomFillSync`), but a batch at a time (hot-state.ts, uuidBatch): one string per
 * batch, and a slice of it per id.
 */
export function randomUuid(): string {
  const batch = uuidBatch;
  if (batch.taken === batch.size) {
    randomFillSync(batch.entropy);
    batch.text = batch.ascii.toString('latin1', 0, formatUuids(batch.entropy, batch.ascii));
    batch.taken = 0;
  }
  const at = batch.taken++ * 36;
  return batch.text.slice(at, at + 36);
}
