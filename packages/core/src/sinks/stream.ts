import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { RegtrailError } from '../errors.js';
import { serializeEvent } from '../event/serialize.js';
import type { EventSink } from './sink.js';

export interface StreamSinkOptions {
  /** Bytes (roughly: UTF-16 units) to gather before writing to the stream; 64 KiB by default. */
  bufferSize?: number;
  /** End the stream on close; false by default (never for stdout). */
  end?: boolean;
}

/**
 * NDJSON to a writable stream: one event per line, gathered into blocks; `flush` writes the block
 * and waits until the stream has drained.
 */
export function streamSink(stream: Writable, options: StreamSinkOptions = {}): EventSink {
  const bufferSize = options.bufferSize ?? 64 * 1024;
  let buffer = '';
  let closed = false;
  let needsDrain = false;
  const push = () => {
    if (buffer === '') return;
    if (!stream.write(buffer)) needsDrain = true;
    buffer = '';
  };
  const flush = async () => {
    push();
    if (needsDrain && stream.writableNeedDrain) await once(stream, 'drain');
    needsDrain = false;
  };
  return {
    async write(event) {
      if (closed) throw new RegtrailError('SINK_CLOSED', 'cannot write to a closed stream sink');
      buffer += `${serializeEvent(event)}\n`;
      if (buffer.length >= bufferSize) {
        push();
        if (needsDrain && stream.writableNeedDrain) {
          await once(stream, 'drain');
          needsDrain = false;
        }
      }
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      if (options.end) {
        stream.end();
        await once(stream, 'finish');
      }
    },
  };
}

/** NDJSON to standard output. */
export function stdoutSink(options: Omit<StreamSinkOptions, 'end'> = {}): EventSink {
  return streamSink(process.stdout, { ...options, end: false });
}
