export { createHttpSink, type HttpSink } from './http-sink.js';
export type { HttpSinkOptions, HttpSinkStats, HttpSinkLogLevel } from './options.js';
export type { IngestUrl } from './route.js';
export type { RetryPolicy } from './retry.js';
export type { BatchLimits } from './batcher.js';
export { readDeadLetters, type DeadLetterRecord } from './dead-letter.js';
export { Spool, type SpoolOpened, type SpoolOptions, type SpoolPosition, type SpoolRecord } from './spool.js';
