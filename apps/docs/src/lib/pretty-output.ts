/**
 * A program's output as the guides show it: each line that is a JSON object or array (an NDJSON
 * event, a --json answer on one line) is pretty-printed, so no line runs thousands of pixels
 * wide; every other line is kept as printed.
 */
export function prettyOutput(output: string): string {
  return output
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (!/^[[{]/.test(trimmed)) return line;
      try {
        return JSON.stringify(JSON.parse(trimmed), null, 2);
      } catch {
        return line;
      }
    })
    .join('\n');
}
