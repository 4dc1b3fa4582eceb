import type { Outcome } from './types.js';

/**
 * `<service display name>: <verb> <objectType> <target.name>`, with ` -failure` appended only
 * when the outcome is failure. Verb and object type are written in lower case, as the catalog has them.
 */
export function formatMessage(serviceDisplayName: string, verb: string, objectType: string, targetName: string, outcome: Outcome): string {
  const base = `${serviceDisplayName}: ${verb.toLowerCase()} ${objectType.toLowerCase()} ${targetName}`;
  return outcome === 'failure' ? `${base} -failure` : base;
}
