import { StringDecoder } from 'node:string_decoder';
import { validateEvent, type Problem, type ValidateOptions } from './validate.js';

/** A problem of one event in a stream; `line` is where the event starts (1-based). */
export interface LintProblem extends Problem {
  line: number;
}

export interface LintSummary {
  /** Events (lines or array elements) looked at, including ones that are not valid JSON. */
  events: number;
  valid: number;
  invalid: number;
  problems: number;
  bytes: number;
  format: 'ndjson' | 'array' | 'empty';
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Validates a stream of events without holding it in memory: NDJSON (one event per line; blank
 * lines are skipped), or a single JSON array of events, which may span any number of lines.
 * Text that is not JSON is a problem of its line, never an exception. Calls `onProblem` for every
 * problem, in order, and resolves to the counts.
 */
export async function lintStream(
  input: AsyncIterable<Buffer | string>,
  onProblem: (problem: LintProblem) => void,
  options: ValidateOptions = {},
): Promise<LintSummary> {
  const summary: LintSummary = { events: 0, valid: 0, invalid: 0, problems: 0, bytes: 0, format: 'empty' };
  const check = (text: string, line: number) => {
    summary.events++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      summary.invalid++;
      summary.problems++;
      onProblem({ line, path: '', message: `not valid JSON: ${(err as Error).message}` });
      return;
    }
    const result = validateEvent(value, options);
    if (result.ok) {
      summary.valid++;
      return;
    }
    summary.invalid++;
    for (const p of result.problems) {
      summary.problems++;
      onProblem({ line, path: p.path, message: p.message });
    }
  };
  const streamProblem = (line: number, message: string) => {
    summary.problems++;
    summary.invalid++;
    onProblem({ line, path: '', message });
  };

  const decoder = new StringDecoder('utf8');
  let mode: 'unknown' | 'ndjson' | 'array' = 'unknown';
  let rest = ''; // ndjson: the unfinished line; array: the unfinished element
  let line = 1; // line of the next character to read
  const array = new ArrayScanner(check, streamProblem);

  const feed = (text: string) => {
    if (mode === 'unknown') {
      let i = 0;
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (i === text.length) {
        rest += text;
        return;
      }
      mode = text.charCodeAt(i) === 91 /* [ */ ? 'array' : 'ndjson';
      summary.format = mode;
      text = rest + text;
      rest = '';
    }
    if (mode === 'array') {
      array.feed(text);
      return;
    }
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0 && rest !== '') {
      handleLine(rest + text.slice(0, nl));
      rest = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      handleLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest += text.slice(start);
  };
  const handleLine = (raw: string) => {
    const n = line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    check(text, n);
  };

  for await (const chunk of input) {
    summary.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  feed(decoder.end());
  if ((mode as string) === 'ndjson' && rest !== '') handleLine(rest);
  if ((mode as string) === 'array') array.end();
  return summary;
}

/** Splits a JSON array arriving in pieces into its top-level elements, with their line numbers. */
class ArrayScanner {
  private state: 'open' | 'before' | 'in' | 'after' | 'done' | 'broken' = 'open';
  private line = 1;
  private depth = 0;
  private inString = false;
  private escape = false;
  private partial = '';
  private elementLine = 0;
  private openLine = 1;

  constructor(
    private readonly onElement: (text: string, line: number) => void,
    private readonly onProblem: (line: number, message: string) => void,
  ) {}

  feed(text: string): void {
    let start = this.state === 'in' ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      switch (this.state) {
        case 'open':
          if (c === 91) {
            this.state = 'before';
            this.openLine = this.line;
          }
          break;
        case 'before':
          if (isSpace(c)) break;
          if (c === 93 /* ] */) {
            this.state = 'done';
            break;
          }
          this.state = 'in';
          this.elementLine = this.line;
          this.depth = 0;
          this.inString = false;
          this.escape = false;
          start = i;
        // falls through: the first character belongs to the element
        case 'in':
          if (this.inString) {
            if (this.escape) this.escape = false;
            else if (c === 92) this.escape = true;
            else if (c === 34) this.inString = false;
            break;
          }
          if (c === 34) this.inString = true;
          else if (c === 123 || c === 91) this.depth++;
          else if (c === 125 || c === 93) {
            if (this.depth === 0) {
              // The array's closing bracket ends a primitive element.
              this.emit(text, start, i);
              this.state = 'done';
            } else if (--this.depth === 0) {
              this.emit(text, start, i + 1);
              this.state = 'after';
            }
          } else if (c === 44 /* , */ && this.depth === 0) {
            this.emit(text, start, i);
            this.state = 'before';
          }
          break;
        case 'after':
          if (isSpace(c)) break;
          if (c === 44) this.state = 'before';
          else if (c === 93) this.state = 'done';
          else {
            this.onProblem(this.line, `not valid JSON: expected "," or "]" after the element that starts on line ${this.elementLine}, found ${JSON.stringify(String.fromCharCode(c))}`);
            this.state = 'broken';
          }
          break;
        case 'done':
          if (!isSpace(c)) {
            this.onProblem(this.line, 'not valid JSON: text after the end of the JSON array');
            this.state = 'broken';
          }
          break;
        case 'broken':
          return;
      }
    }
    if (this.state === 'in') this.partial += text.slice(Math.max(start, 0));
  }

  end(): void {
    if (this.state === 'in') {
      this.onProblem(this.elementLine, 'not valid JSON: the array ends in the middle of this element');
    } else if (this.state === 'before' || this.state === 'after' || this.state === 'open') {
      this.onProblem(this.openLine, 'not valid JSON: the array that starts here is never closed with "]"');
    }
  }

  private emit(text: string, start: number, end: number): void {
    const body = this.partial + text.slice(Math.max(start, 0), end);
    this.partial = '';
    this.onElement(body.trim(), this.elementLine);
  }
}
