import { formatUuids, HEX_DIGITS as DIGITS } from '../event/uuid.js';

/**
 * A small seeded pseudo-random generator (sfc32, seeded through a string hash), so that a seed
 * always gives the same sequence on every machine and Node.js version.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  hex(length: number): string;
  uuid(): string;
}

function hashSeed(seed: string): [number, number, number, number] {
  // cyrb128
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/**
 * Where hex and UUIDs are written as ASCII before they become one string (a draw's eight digits
 * concatenated one by one made a chain of strings per id); longer hex gets a buffer of its own.
 * Nothing is kept in it between calls.
 */
const scratch = Buffer.alloc(128);

export function seededRandom(seed: string | number): Random {
  let [a, b, c, d] = hashSeed(String(seed));
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  const random: Random = {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w;
      let x = next() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    hex(length) {
      // Eight hex digits per draw, as `draw.toString(16).padStart(8, '0')` writes them (this runs
      // for every digest and id simulate makes). A table of all 65536 16-bit values was no faster
      // and kept 2 MB alive for the whole run, which V8 lets the heap grow about fourfold around
      // before collecting.
      const end = (length + 7) & ~7;
      const out = end <= scratch.length ? scratch : Buffer.alloc(end);
      for (let p = 0; p < end; p += 8) writeDraw(out, p, next());
      return out.toString('latin1', 0, length);
    },
    uuid() {
      // 32 digits as hex(32) draws them, as 16 bytes, written as uuid.ts writes a random UUID: its
      // version and variant bits set in the bytes give the digits 4 and 8, 9, a or b in their places.
      for (let p = 0; p < 16; p += 4) UUID_BYTES.writeUInt32BE(Math.floor(next() * 4294967296), p);
      formatUuids(UUID_BYTES, scratch);
      return scratch.toString('latin1', 0, 36);
    },
  };
  return random;
}

/** A UUID's 16 bytes, in scratch past its text. */
const UUID_BYTES = scratch.subarray(64, 80);

/** Writes a draw in [0, 1) as the eight hex digits of its 32 bits, at `p`. */
function writeDraw(out: Buffer, p: number, draw: number): void {
  const t = Math.floor(draw * 4294967296);
  out[p] = DIGITS[t >>> 28]!;
  out[p + 1] = DIGITS[(t >>> 24) & 15]!;
  out[p + 2] = DIGITS[(t >>> 20) & 15]!;
  out[p + 3] = DIGITS[(t >>> 16) & 15]!;
  out[p + 4] = DIGITS[(t >>> 12) & 15]!;
  out[p + 5] = DIGITS[(t >>> 8) & 15]!;
  out[p + 6] = DIGITS[(t >>> 4) & 15]!;
  out[p + 7] = DIGITS[t & 15]!;
}
