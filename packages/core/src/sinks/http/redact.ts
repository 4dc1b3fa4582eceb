/**
 * Keeps secrets out of everything the sink writes or throws: log lines, error messages and
 * dead-letter records all pass through a redactor built from the secrets it knows.
 */
export type Redactor = (text: string) => string;

const REDACTED = '[REDACTED]';

/**
 * The forms a secret can take when an endpoint echoes it back: as it is, URL-encoded (upper- or
 * lower-case hex, spaces as %20 or +), base64 and base64url (of the secret, and of the
 * `Bearer <secret>` header it was sent in), and JSON-escaped (as JSON.stringify writes it, and
 * with every non-ASCII character as \uXXXX).
 */
function encodingsOf(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const lowerHex = url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = (upper: boolean) => json.replace(/[\u0080-\uffff]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });
  const base64 = (text: string) => {
    const b = Buffer.from(text, 'utf8');
    const std = b.toString('base64');
    return [std, std.replace(/=+$/, ''), b.toString('base64url')];
  };
  const forms = [secret, url, lowerHex, url.replace(/%20/g, '+'), lowerHex.replace(/%20/g, '+'), json, asciiJson(false), asciiJson(true), ...base64(secret), ...base64(`Bearer ${secret}`)];
  // Longest first, so that a form that holds another is replaced whole.
  return [...new Set(forms)].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

export function redactor(secrets: readonly (string | undefined)[]): Redactor {
  // Very short secrets would blank out ordinary text; such tokens are not real credentials.
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).flatMap(encodingsOf);
  if (!list.length) return (text) => text;
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join(REDACTED);
    return out;
  };
}
