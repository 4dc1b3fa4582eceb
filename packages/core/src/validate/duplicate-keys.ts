import { escapePointer } from './fields.js';

/**
 * Duplicate keys in a JSON text. JSON.parse keeps the last value of a key that an object repeats,
 * so the values before it escape every check: `"token":"realsecret","token":"[REDACTED]"` parses
 * to a redacted event while the file holds the secret. Returns the JSON pointer of each repeated
 * key (at any depth), in the order they occur; an empty list for the usual text.
 *
 * For text that JSON.parse accepted: it jumps from quote to quote with indexOf (strings are most
 * of an event) and reads only the structure between them.
 */
export function duplicateKeys(text: string): string[] {
  let found: string[] | undefined;
  // One entry per open object or array: its keys so far (objects) or its element index (arrays),
  // and its pointer.
  const keys: (string[] | null)[] = [];
  const index: number[] = [];
  const pointers: string[] = [];
  /** The last key read in the innermost object: the name of the value that follows it. */
  let lastKey = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // A string: find its end (a quote not escaped by an odd run of backslashes).
      let end = text.indexOf('"', i + 1);
      while (end > 0) {
        let slashes = 0;
        for (let j = end - 1; text.charCodeAt(j) === 92; j--) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end < 0) return found ?? [];
      let next = end + 1;
      while (next < n && isSpace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === 58 /* : */ && keys.length > 0) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const own = keys[keys.length - 1];
        if (own) {
          if (own.includes(key)) (found ??= []).push(`${pointers[pointers.length - 1]}/${escapePointer(key)}`);
          else own.push(key);
        }
        lastKey = key;
        i = next + 1;
        continue;
      }
      i = end + 1;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const depth = keys.length;
      const name = depth === 0 ? '' : keys[depth - 1] ? escapePointer(lastKey) : String(index[depth - 1]);
      pointers.push(depth === 0 ? '' : `${pointers[depth - 1]}/${name}`);
      keys.push(c === 123 ? [] : null);
      index.push(0);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      keys.pop();
      index.pop();
      pointers.pop();
    } else if (c === 44 /* , */ && keys.length > 0 && keys[keys.length - 1] === null) {
      index[index.length - 1]!++;
    }
    i++;
  }
  return found ?? [];
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Whether a JSON text may repeat a key, given the value JSON.parse made of it (and, if known, its
 * compactLength, which the validator's fast check measures: NaN where compactLength answers -1):
 * a cheap test that lets the usual event skip duplicateKeys. Two tests, the first without a pass over the text:
 *
 * 1. Length. The text is at least as long as the compact JSON of the parsed value, counting each
 *    string (key or value) as its parsed characters between two quotes (compactLength): every
 *    string is written at least that long (an escape is longer than the character it stands
 *    for), every other token at least as long (numbers too, as compactLength counts only those
 *    that cannot be written shorter), and white space and each member that a repeated key dropped
 *    (at least `"":0,`) only add to it. So when the two lengths are equal, nothing repeats.
 * 2. Colons. Each key of the text is a string followed by a colon; where no white space stands
 *    before a colon, that colon follows a quote at once, and every other colon outside strings
 *    does not (JSON has none). So, when no colon follows white space, the number of colons that
 *    follow a quote is at least the number of keys written (colons inside strings can only add to
 *    it), which is the number of keys the parsed value has plus one for each repeat: when the two
 *    counts are equal, nothing repeats. One pass from colon to colon (indexOf), reading only the
 *    character before each.
 */
export function mayHaveDuplicateKeys(text: string, value: unknown, compact?: number): boolean {
  if ((compact ?? compactLength(value, 0)) === text.length) return false;
  let written = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    const before = text.charCodeAt(i - 1);
    if (before === 34 /* " */) written++;
    else if (isSpace(before)) return true;
  }
  return written !== (value !== null && typeof value === 'object' ? keyCount(value) : 0);
}

/** Objects and arrays nested deeper than this are not measured (compactLength answers -1; the colon test, which does not recurse, decides). */
const MAX_MEASURED_DEPTH = 64;

/**
 * The length of a parsed value written as compact JSON (as JSON.stringify writes it), with every string
 * counted as its characters between two quotes (its shortest writing), or -1 where it is not
 * known that no JSON text of the value is shorter: a number other than an integer between -999
 * and 999 (1e5 is shorter than 100000), or nesting deeper than MAX_MEASURED_DEPTH. Walks objects
 * with for…in, as keyCount does.
 */
export function compactLength(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'boolean':
      return value ? 4 : 5;
    case 'number': {
      if (!Number.isInteger(value) || value <= -1000 || value >= 1000 || Object.is(value, -0)) return -1;
      const digits = value > -10 && value < 10 ? 1 : value > -100 && value < 100 ? 2 : 3;
      return value < 0 ? digits + 1 : digits;
    }
    case 'object': {
      if (value === null) return 4;
      if (depth >= MAX_MEASURED_DEPTH) return -1;
      let n = 1; // the bracket or brace that opens; each member adds its comma or the closing one
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = compactLength(value[i], depth + 1);
          if (item < 0) return -1;
          n += item + 1;
        }
        return value.length === 0 ? 2 : n;
      }
      let members = 0;
      for (const key in value) {
        const item = compactLength((value as Record<string, unknown>)[key], depth + 1);
        if (item < 0) return -1;
        n += key.length + 3 + item + 1;
        members++;
      }
      return members === 0 ? 2 : n;
    }
    default:
      return -1;
  }
}
/**
 * The number of keys of every object in a parsed JSON value (whose objects have own keys only,
 * `__proto__` included). Counted with for…in: no array of keys is made.
 */
function keyCount(value: unknown): number {
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') n += keyCount(item);
    }
    return n;
  }
  for (const key in value as object) {
    n++;
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object') n += keyCount(item);
  }
  return n;
}
