import fs from 'node:fs';
import path from 'node:path';
import { RegtrailError } from '../errors.js';
import { serializeEvent } from '../event/serialize.js';
import { ACCEPTED, type EventSink } from './sink.js';

export interface FileSinkOptions {
  /** The file to append to, such as `events.ndjson`; created with its directory when missing. */
  path: string;
  /**
   * Rotate before a write would make the file larger than this many bytes: `events.ndjson`
   * becomes `events.ndjson.1`, `.1` becomes `.2`, and so on. No rotation when absent. An event is
   * never split; one larger than maxBytes gets a file of its own.
   */
  maxBytes?: number;
  /** How many rotated files to keep (`.1` … `.maxFiles`); the oldest is deleted. 5 by default. */
  maxFiles?: number;
  /** Bytes to gather in memory before writing; 64 KiB by default. */
  bufferSize?: number;
}

export interface FileSink extends EventSink {
  readonly path: string;
  /** How many events are written to the file (handed to the operating system); `flush` or `close` makes them durable. */
  readonly written: number;
}

const NEWLINE = 0x0a;

/**
 * NDJSON appended to a file. Writes are gathered in memory and written in blocks; `flush` and
 * `close` write what is gathered and fsync the file, so every event written before them is on
 * disk. Events are written in the order of `write` calls, across rotated files.
 */
export function fileSink(options: FileSinkOptions | string): FileSink {
  const opts = typeof options === 'string' ? { path: options } : options;
  const file = path.resolve(opts.path);
  const maxBytes = opts.maxBytes;
  const maxFiles = opts.maxFiles ?? 5;
  const bufferSize = Math.max(opts.bufferSize ?? 64 * 1024, 1024);
  if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 1)) throw new RegtrailError('BAD_OPTIONS', `maxBytes must be a positive integer, not ${maxBytes}`);
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new RegtrailError('BAD_OPTIONS', `maxFiles must be a positive integer, not ${maxFiles}`);

  let fd: number;
  let size: number;
  const open = () => {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fd = fs.openSync(file, 'a');
      size = fs.fstatSync(fd).size;
    } catch (err) {
      throw new RegtrailError('SINK_OPEN', `cannot open ${opts.path} for writing: ${(err as Error).message}`, { cause: err });
    }
  };
  open();

  // Lines are encoded straight into one reusable block, which is written when the next line might not fit.
  const block = Buffer.allocUnsafe(bufferSize);
  let used = 0;
  /** Events in the block. */
  let gathered = 0;
  let closed = false;
  let written = 0;

  /**
   * Writes whole lines. When a write fails part way (a full disk), the file is cut back to where
   * it was, so that it ends with a whole line and the next write cannot be glued onto a partial
   * one; the lines stay with the caller, to be written again.
   */
  const writeAll = (data: Buffer, length: number, events: number) => {
    let offset = 0;
    try {
      while (offset < length) offset += fs.writeSync(fd, data, offset, length - offset);
    } catch (err) {
      if (offset > 0) {
        try {
          fs.ftruncateSync(fd, size);
        } catch {
          // Cutting back cannot fail for lack of space; if it fails anyway, the error below still says what was not written.
        }
      }
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new RegtrailError('SINK_WRITE', `cannot write to ${opts.path}: ${code}; ${events} event(s) not written yet${events > 1 ? ' (kept, to be written with the next write, flush or close)' : ''}`, { cause: err });
    }
    size += length;
    written += events;
  };
  const writeOut = () => {
    if (used === 0) return;
    writeAll(block, used, gathered);
    used = 0;
    gathered = 0;
  };

  const rotate = () => {
    writeOut();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    for (let i = maxFiles - 1; i >= 1; i--) {
      const from = `${file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${file}.${i + 1}`);
    }
    fs.renameSync(file, `${file}.1`);
    open();
  };

  return {
    path: file,
    get written() {
      return written;
    },
    // Not an async function: an accepted event costs no promise of its own (this is the hot path).
    write(event) {
      if (closed) return Promise.reject(new RegtrailError('SINK_CLOSED', `cannot write to ${opts.path}: the sink is closed`));
      try {
        const line = serializeEvent(event);
        // A UTF-8 encoding takes at most three bytes per UTF-16 unit; and one for the newline.
        const most = line.length * 3 + 1;
        if (maxBytes !== undefined) {
          if (size + used + Buffer.byteLength(line, 'utf8') + 1 > maxBytes && size + used > 0) rotate();
        }
        if (most > bufferSize - used) {
          writeOut();
          if (most > bufferSize) {
            const data = Buffer.from(`${line}\n`, 'utf8');
            writeAll(data, data.length, 1);
            return ACCEPTED;
          }
        }
        used += block.write(line, used, 'utf8');
        block[used++] = NEWLINE;
        gathered++;
        return ACCEPTED;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async flush() {
      if (closed) return;
      writeOut();
      fs.fsyncSync(fd);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        writeOut();
        fs.fsyncSync(fd);
      } catch (err) {
        const cause = (err as { cause?: NodeJS.ErrnoException }).cause ?? (err as NodeJS.ErrnoException);
        throw new RegtrailError('SINK_WRITE', `cannot write to ${opts.path}: ${cause.code ?? cause.message}; ${gathered} event(s) could not be written before the sink closed`, { cause });
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}
