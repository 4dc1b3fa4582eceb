/**
 * The one error type the library throws on bad input. `code` is stable and meant for programs;
 * `message` is one line meant for people. The CLI prints the message and exits 2.
 */
export class RegtrailError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegtrailError';
    this.code = code;
  }
}

/**
 * Shows any value in an error message, safely: strings are quoted, other values named by their
 * type (JSON.stringify throws on BigInt and cycles, String() on objects without a prototype).
 */
export function showValue(value: unknown, max = 200): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > max ? `${quoted.slice(0, max)}…"` : quoted;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `the Date ${value.toISOString()}`;
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${String(value)}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}
