/**
 * Keeps secrets out of everything the sink writes or throws: log lines, error messages and
 * dead-letter records all pass through a redactor built from the secrets it knows.
 */
export type Redactor = (text: string) => string;

const REDACTED = '[REDACTED]';

export function redactor(secrets: readonly (string | undefined)[]): Redactor {
  // Very short secrets would blank out ordinary text; such tokens are not real credentials.
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (!list.length) return (text) => text;
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join(REDACTED);
    return out;
  };
}
