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
 * Whether a JSON text may repeat a key, given the value JSON.parse made of it: a cheap test that
 * lets the usual event skip duplicateKeys. Each key of the text is a string followed by a colon;
 * where no white space stands before a colon, that colon follows a quote at once, and every other
 * colon outside strings does not (JSON has none). So, when no colon follows white space, the
 * number of colons that follow a quote is at least the number of keys written (colons inside
 * strings can only add to it), which is the number of keys the parsed value has plus one for each
 * repeat: when the two counts are equal, nothing repeats. One pass from colon to colon (indexOf),
 * reading only the character before each.
 */
export function mayHaveDuplicateKeys(text: string, value: unknown): boolean {
  let written = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    const before = text.charCodeAt(i - 1);
    if (before === 34 /* " */) written++;
    else if (isSpace(before)) return true;
  }
  return written !== (value !== null && typeof value === 'object' ? keyCount(value) : 0);
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
