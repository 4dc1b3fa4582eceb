import { createEmitter, memorySink } from '../src/index.js';

/**
 * Lint fixtures shared by `lintStream`'s tests (src/validate/lint.test.ts) and `regtrail lint`'s
 * (packages/cli/test/lint.test.ts): valid lines, and a mixed file with the problem expected on each
 * line.
 */

/**
 * n valid namespace.create events, one JSON line each. Built twice by one emitter: the lines are
 * the second events, made from what its composer remembered of the first.
 */
export function goodLines(n: number): string[] {
  const sink = memorySink();
  const emitter = createEmitter({ accountId: 'acct', region: 'uk-south', sink, clock: () => Date.UTC(2025, 2, 3, 4, 5, 6, 780), newId: () => 'id' });
  for (let i = 0; i < n; i++) emitter.build('namespace.create', { initiator: { id: 'IBMid-9', ip: '192.0.2.1' }, target: { type: 'namespace', name: `ns-${i}` } });
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(emitter.build('namespace.create', { initiator: { id: 'IBMid-9', ip: '192.0.2.1' }, target: { type: 'namespace', name: `ns-${i}` } })),
  );
}

const mutate = (line: string, f: (e: Record<string, any>) => void) => {
  const e = JSON.parse(line) as Record<string, any>;
  f(e);
  return JSON.stringify(e);
};

/** A mixed NDJSON file: line number → the problem expected there (path and message), or undefined for a good line. */
export function mixedFile(): { text: string; expected: [number, string, RegExp][] } {
  const [a, b, c, d, e] = goodLines(5) as [string, string, string, string, string];
  const lines = [
    a, // 1
    mutate(b, (x) => (x.severity = 'critical')), // 2: valid: a success may carry a stricter severity than the default
    '', // 3: blank, skipped
    '{"action": "container-registry.image.push", oops', // 4
    mutate(c, (x) => (x.eventTime = '2025-13-01T00:00:00.00+0000')), // 5
    d, // 6
    mutate(e, (x) => (x.requestData = '{"a":1}')), // 7
    '[1, 2]', // 8
    mutate(a, (x) => (x.action = 'container-registry.registrytoken.create')), // 9
  ];
  return {
    text: `${lines.join('\n')}\n`,
    expected: [
      [4, '(event)', /not valid JSON/],
      [5, '/eventTime', /not a real calendar date/],
      [7, '/requestData', /stringified JSON/],
      [8, '(event)', /must be a JSON object, not an array/],
      [9, '/action', /removed on 2019-07-01/],
    ],
  };
}

/** A value as JSON on one line with a space after every colon and comma between tokens (none in strings): longer than its compact JSON. */
export const spacedJson = (value: unknown): string => JSON.stringify(value, null, 1).replace(/\n */g, ' ');
