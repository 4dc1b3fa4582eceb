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

/** `00` … `ff`, by byte value. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** The UUID variant digit (8, 9, a or b) for each hex digit of the draw, by character code. */
const VARIANT: string[] = [];
for (const digit of '0123456789abcdef') VARIANT[digit.charCodeAt(0)] = ((parseInt(digit, 16) & 0x3) | 0x8).toString(16);

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
      // Eight hex digits per draw, as `draw.toString(16).padStart(8, '0')` writes them, by byte
      // from a table (this runs for every digest and id simulate makes). A table of all 65536
      // 16-bit values was no faster and kept 2 MB alive for the whole run, which V8 lets the heap
      // grow about fourfold around before collecting.
      let out = '';
      while (out.length < length) {
        const t = Math.floor(next() * 4294967296);
        out += HEX[t >>> 24]! + HEX[(t >>> 16) & 255]! + HEX[(t >>> 8) & 255]! + HEX[t & 255]!;
      }
      return out.length === length ? out : out.slice(0, length);
    },
    uuid() {
      const h = random.hex(32);
      const variant = VARIANT[h.charCodeAt(16)]!;
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
  return random;
}
