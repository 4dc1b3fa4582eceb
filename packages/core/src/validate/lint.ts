import { isUtf8 } from 'node:buffer';
import { duplicateKeys, mayHaveDuplicateKeys } from './duplicate-keys.js';
import { measuredLength, validateParsed, type Problem, type ValidateOptions } from './validate.js';

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

export interface LintOptions extends ValidateOptions {
  /**
   * NDJSON: the longest line, in bytes (without its line break). A longer line is reported and
   * skipped; it is streamed through, never held whole. 1 MiB by default.
   */
  maxLineBytes?: number;
  /** The largest event (an NDJSON line or an element of a JSON array), in bytes; larger ones are reported and skipped. 1 MiB by default. */
  maxEventBytes?: number;
  /**
   * Called with every valid event and the line it starts on. A promise it returns is awaited
   * before the next chunk of input is read (backpressure); if it rejects, so does `lintStream`.
   */
  onValid?: (event: Record<string, unknown>, line: number) => unknown;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
/** Whether a line holds only white space (as String#trim sees it), without making the trimmed string. */
const isBlank = (text: string) => {
  const c = text.charCodeAt(0);
  return c === 123 /* { */ ? false : text.trim() === '';
};
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** The most bytes of whole lines decoded into one string (see wholeLines); below V8's large-object size (128 KiB). */
export const DECODE_PIECE = 64 * 1024;

function limit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`lintStream: ${name} must be a positive integer, not ${String(value)}`);
  return value;
}

/**
 * Validates a stream of events without holding it in memory: NDJSON (one event per line; blank
 * lines are skipped; CRLF line breaks and a UTF-8 byte order mark on line 1 are accepted), or a
 * single JSON array of events, which may span any number of lines. Text that is not JSON, not
 * UTF-8, too long, or cut short is a problem of its line, never an exception. Calls `onProblem`
 * for every problem, in order, and resolves to the counts. The result does not depend on how the
 * input is split into chunks.
 */
const NONE: readonly string[] = [];
const DUPLICATE_KEY = 'is a duplicate key: JSON keeps only its last value, so the values before it escape every check (the search for secrets too)';

export async function lintStream(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  onProblem: (problem: LintProblem) => void,
  options: LintOptions = {},
): Promise<LintSummary> {
  const maxLineBytes = limit('maxLineBytes', options.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
  const maxEventBytes = limit('maxEventBytes', options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES);
  const { onValid } = options;
  // A line of n UTF-16 units is at most 3n bytes of UTF-8: only decoded lines longer than this are measured.
  const small = Math.floor(Math.min(maxLineBytes, maxEventBytes) / 3);
  const summary: LintSummary = { events: 0, valid: 0, invalid: 0, problems: 0, bytes: 0, format: 'empty' };
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let waiting: unknown[] = [];
  /** Whether the last event's text was as long as its measure (hot state of one stream; see checkText). */
  let compact = true;

  const streamProblem = (line: number, message: string) => {
    summary.problems++;
    summary.invalid++;
    onProblem({ line, path: '', message });
  };
  const invalidEvent = (line: number, message: string) => {
    summary.events++;
    streamProblem(line, message);
  };

  /** One event's bytes (an NDJSON line without its line break, or an array element); `unterminated`: the last line, without a line break. */
  const check = (bytes: Uint8Array, line: number, unterminated: boolean) => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      invalidEvent(line, `not valid UTF-8${unterminated ? ' (the last line has no line break at the end: it may be cut short)' : ''}`);
      return;
    }
    checkText(text, bytes.length, line, unterminated);
  };

  /** One event's text, decoded from `byteLength` bytes of valid UTF-8. */
  const checkText = (text: string, byteLength: number, line: number, unterminated: boolean) => {
    if (isBlank(text)) return;
    summary.events++;
    if (byteLength > maxEventBytes) {
      streamProblem(line, `the event is ${byteLength} bytes, larger than the limit of ${maxEventBytes} bytes; skipped`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const why = err instanceof Error && err.message ? err.message : 'cannot be parsed';
      streamProblem(line, unterminated ? `truncated: the last line has no line break at the end and is not complete JSON (${why})` : `not valid JSON: ${why}`);
      return;
    }
    // The text's length lets the validator skip the keys of a compact line (validateParsed). It is
    // given while the lines are compact: after a line that was not, the next is checked without it.
    const result = validateParsed(value, options, compact ? text.length : -1);
    const length = measuredLength(value);
    compact = length === text.length;
    // A repeated key hides all but its last value from every check (JSON.parse keeps the last).
    const repeated = mayHaveDuplicateKeys(text, value, length) ? duplicateKeys(text) : NONE;
    if (repeated.length > 0) {
      result.ok = false;
      result.problems.unshift(...repeated.map((path) => ({ path, message: DUPLICATE_KEY })));
    }
    if (result.ok) {
      summary.valid++;
      if (onValid) {
        const r = onValid(value as Record<string, unknown>, line);
        if (r !== undefined) waiting.push(r);
      }
      return;
    }
    summary.invalid++;
    for (const p of result.problems) {
      summary.problems++;
      onProblem({ line, path: p.path, message: p.message || 'is not valid' });
    }
  };

  let mode: 'unknown' | 'ndjson' | 'array' = 'unknown';
  let line = 1; // line of the next byte
  let array: ArrayScanner | undefined;
  // NDJSON: the unfinished line, as pieces of the chunks it came in (dropped once it is too long).
  let pieces: Uint8Array[] = [];
  let lineBytes = 0;

  const endLine = (unterminated: boolean) => {
    const n = line++;
    const bytes = lineBytes;
    lineBytes = 0;
    if (bytes > maxLineBytes) {
      pieces = [];
      invalidEvent(n, `the line is ${bytes} bytes, longer than the limit of ${maxLineBytes} bytes; skipped`);
      return;
    }
    let text = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, bytes);
    pieces = [];
    if (text.length && text[text.length - 1] === 13) text = text.subarray(0, text.length - 1); // CRLF
    if (text.length) check(text, n, unterminated);
  };

  /**
   * NDJSON: the line that ends at `first` (its start may be in earlier chunks), then the whole
   * lines between `first` and `last` (each ends with a line break in this chunk).
   */
  const wholeLines = (buf: Uint8Array, from: number, first: number, last: number) => {
    if (first > from) {
      lineBytes += first - from;
      if (lineBytes <= maxLineBytes) pieces.push(buf.subarray(from, first));
      else pieces = [];
    }
    endLine(false);
    const block = buf.subarray(first + 1, last);
    if (!isUtf8(block)) {
      // Line by line, so that each line that is not UTF-8 is reported with its number.
      for (let at = first + 1, nl = buf.indexOf(10, at); at <= last; at = nl + 1, nl = buf.indexOf(10, at)) {
        if (nl > at) {
          lineBytes = nl - at;
          if (lineBytes <= maxLineBytes) pieces.push(buf.subarray(at, nl));
        }
        endLine(false);
      }
      return;
    }
    // Decoded a piece at a time, each piece whole lines of at most DECODE_PIECE bytes (or one longer
    // line): a string that size is made in V8's young generation, where a whole chunk's would be a
    // large object, with fresh pages from the kernel for every chunk (page faults, then unmapping).
    for (let from = 0; ; ) {
      let to = block.length;
      if (to - from > DECODE_PIECE) {
        const nl = block.lastIndexOf(10, from + DECODE_PIECE);
        to = nl >= from ? nl : block.indexOf(10, from + DECODE_PIECE);
        if (to < 0) to = block.length;
      }
      linesOf(Buffer.from(block.buffer, block.byteOffset + from, to - from).toString('utf8'));
      if (to === block.length) break;
      from = to + 1; // past the line break between two pieces
    }
  };

  /** Whole lines of valid UTF-8, decoded: the text between line breaks (the last one without). */
  const linesOf = (text: string) => {
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      const n = line++;
      if (end > at) {
        let lineText = text.slice(at, end);
        let bytes = lineText.length <= small ? -1 : Buffer.byteLength(lineText);
        if (bytes > maxLineBytes) invalidEvent(n, `the line is ${bytes} bytes, longer than the limit of ${maxLineBytes} bytes; skipped`);
        else {
          if (lineText.charCodeAt(lineText.length - 1) === 13) {
            lineText = lineText.slice(0, -1); // CRLF
            if (bytes >= 0) bytes--;
          }
          if (lineText.length) checkText(lineText, bytes < 0 ? 0 : bytes, n, false);
        }
      }
      if (nl < 0) break;
      at = nl + 1;
    }
  };

  const feed = (buf: Uint8Array) => {
    let i = 0;
    if (mode === 'unknown') {
      // Blank lines before the first event only move the line number.
      for (; i < buf.length; i++) {
        const c = buf[i]!;
        if (c === 10) line++;
        else if (!isSpace(c)) break;
      }
      if (i === buf.length) return;
      mode = buf[i] === 91 /* [ */ ? 'array' : 'ndjson';
      summary.format = mode;
      if (mode === 'array') array = new ArrayScanner(line, maxEventBytes, check, streamProblem, invalidEvent);
    }
    if (mode === 'array') {
      array!.feed(buf, i);
      return;
    }
    // The lines that start and end in this chunk are decoded together, up to DECODE_PIECE bytes of
    // them per string, when all of them are valid UTF-8 (one check per chunk and a few decodes
    // instead of one per line); the first and last line of a chunk, and every line of a chunk that
    // is not valid UTF-8, go through endLine byte by byte. Both give the same result.
    const first = buf.indexOf(10, i);
    if (first >= 0) {
      const last = buf.lastIndexOf(10);
      if (last > first) {
        wholeLines(buf, i, first, last);
        i = last + 1;
      }
    }
    for (let nl = buf.indexOf(10, i); ; nl = buf.indexOf(10, i)) {
      const end = nl < 0 ? buf.length : nl;
      if (end > i) {
        lineBytes += end - i;
        if (lineBytes <= maxLineBytes) pieces.push(buf.subarray(i, end));
        else pieces = []; // too long: count the rest of it, keep none of it
      }
      if (nl < 0) break;
      endLine(false);
      i = nl + 1;
    }
  };

  const settle = async () => {
    if (!waiting.length) return;
    const batch = waiting;
    waiting = [];
    const results = await Promise.allSettled(batch);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  };

  // The first bytes, held back until it is clear whether they are a byte order mark.
  let head: Uint8Array | undefined = new Uint8Array(0);
  for await (const chunk of input) {
    let buf: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    summary.bytes += buf.length;
    if (head) {
      buf = head.length ? Buffer.concat([head, buf]) : buf;
      if (buf.length < 3 && BOM.subarray(0, buf.length).equals(buf)) {
        head = buf;
        continue;
      }
      head = undefined;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    feed(buf);
    await settle();
  }
  if (head?.length) feed(head);
  if ((mode as string) === 'ndjson' && lineBytes > 0) endLine(true);
  if ((mode as string) === 'array') array!.end();
  await settle();
  return summary;
}

/**
 * Splits a JSON array arriving in pieces into its top-level elements (as bytes), with their line
 * numbers. Works on bytes: every character JSON gives meaning to is ASCII, and no byte of a
 * multi-byte UTF-8 character is. An element larger than the limit is streamed through, not kept.
 */
class ArrayScanner {
  private state: 'open' | 'before' | 'in' | 'after' | 'done' | 'broken' = 'open';
  private depth = 0;
  private inString = false;
  private escape = false;
  private partial: Uint8Array[] = [];
  private partialBytes = 0;
  private elementLine = 0;
  private readonly openLine: number;

  constructor(
    private line: number,
    private readonly maxEventBytes: number,
    private readonly onElement: (bytes: Uint8Array, line: number, unterminated: boolean) => void,
    private readonly onProblem: (line: number, message: string) => void,
    private readonly onTooBig: (line: number, message: string) => void,
  ) {
    this.openLine = line;
  }

  feed(buf: Uint8Array, from: number): void {
    let start = this.state === 'in' ? from : -1;
    for (let i = from; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === 10) this.line++;
      switch (this.state) {
        case 'open':
          if (c === 91) this.state = 'before';
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
              this.emit(buf, start, i);
              this.state = 'done';
            } else if (--this.depth === 0) {
              this.emit(buf, start, i + 1);
              this.state = 'after';
            }
          } else if (c === 44 /* , */ && this.depth === 0) {
            this.emit(buf, start, i);
            this.state = 'before';
          }
          break;
        case 'after':
          if (isSpace(c)) break;
          if (c === 44) this.state = 'before';
          else if (c === 93) this.state = 'done';
          else {
            const shown = c < 0x80 ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16)}`;
            this.onProblem(this.line, `not valid JSON: expected "," or "]" after the element that starts on line ${this.elementLine}, found ${shown}`);
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
    if (this.state === 'in') this.keep(buf.subarray(Math.max(start, from)));
  }

  end(): void {
    if (this.state === 'in') {
      this.onProblem(this.elementLine, 'not valid JSON: the array ends in the middle of this element (truncated)');
    } else if (this.state === 'before' || this.state === 'after' || this.state === 'open') {
      this.onProblem(this.openLine, 'not valid JSON: the array that starts here is never closed with "]" (truncated)');
    }
  }

  private keep(piece: Uint8Array): void {
    this.partialBytes += piece.length;
    if (this.partialBytes <= this.maxEventBytes) this.partial.push(piece);
    else this.partial = [];
  }

  private emit(buf: Uint8Array, start: number, end: number): void {
    const piece = buf.subarray(Math.max(start, 0), end);
    const bytes = this.partialBytes + piece.length;
    const kept = this.partial;
    this.partial = [];
    this.partialBytes = 0;
    if (bytes > this.maxEventBytes) {
      this.onTooBig(this.elementLine, `the event is ${bytes} bytes, larger than the limit of ${this.maxEventBytes} bytes; skipped`);
      return;
    }
    this.onElement(kept.length ? Buffer.concat([...kept, piece], bytes) : piece, this.elementLine, false);
  }
}
