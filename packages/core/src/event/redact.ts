import { BOUNDS, BoundedCache } from '../hot-state.js';

/** What a secret's value is replaced by. */
export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets: any key that contains one of these words, in any case. */
export const SECRET_KEY = /password|passwd|token|api[-_]?key|secret|authorization|cookie/i;

/** How deep redaction goes (deeper values become `[Truncated]`); the validator searches for secrets as deep. */
export const MAX_DEPTH = 64;

// Payloads repeat their keys: remember which keys are secret (hot-state.ts).
const secretKeys = new BoundedCache<string, boolean>(BOUNDS.secretKeys);
/** Whether a key names a secret (SECRET_KEY), remembered per key. */
export function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    secretKeys.set(key, secret);
  }
  return secret;
}

/**
 * Returns a JSON-safe deep copy of `value` in which the value under every key that looks like a
 * secret (see SECRET_KEY), at any depth and inside arrays, is `[REDACTED]`. The input is never
 * changed and nothing is shared with it, so later changes by the caller cannot reach an event.
 * As in JSON: `toJSON` is honoured (Dates become strings), functions, symbols and undefined
 * properties are dropped; bigints become decimal strings; cycles become `[Circular]`, nesting
 * deeper than 64 levels `[Truncated]`.
 */
export function redact<T>(value: T): T {
  return walk(value, 0, []) as T;
}

function walk(value: unknown, depth: number, path: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return walk((value as { toJSON: () => unknown }).toJSON(), depth, path);
  }
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (path.includes(value)) return '[Circular]';
  path.push(value);
  let out: unknown;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = walk(value[i], depth + 1, path);
      copy[i] = item === undefined ? null : item;
    }
    out = copy;
  } else {
    const copy: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const raw = record[key];
      const item = isSecretKey(key) ? (raw === undefined || typeof raw === 'function' ? undefined : REDACTED) : walk(raw, depth + 1, path);
      if (item === undefined) continue;
      // A "__proto__" key (JSON.parse makes one) must stay data, not become the copy's prototype.
      if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
      else copy[key] = item;
    }
    out = copy;
  }
  path.pop();
  return out;
}
