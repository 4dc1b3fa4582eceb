import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Redactor } from './redact.js';

/**
 * The dead-letter file: NDJSON, one record per event the sink gave up on, with why. Records are
 * fsync'ed before the events are marked done in the spool, so an event is always in one of the
 * two places. Nothing is ever dropped silently.
 */
export interface DeadLetterRecord {
  /** When the sink gave up. */
  readonly time: string;
  /** HTTP status of the last response, or null when none was (oversize, unroutable, network). */
  readonly status: number | null;
  readonly reason: string;
  readonly url?: string;
  readonly location?: string;
  readonly attempts: number;
  /** The event, as it was spooled; a string when it could not be read back as JSON. */
  readonly event: unknown;
}

export interface DeadLetterInput {
  readonly json: string;
}

export class DeadLetter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly redact: Redactor,
  ) {}

  /** Appends one record per event and syncs the file. */
  write(events: readonly DeadLetterInput[], info: Omit<DeadLetterRecord, 'time' | 'event'>): Promise<void> {
    const time = new Date().toISOString();
    const head = JSON.stringify({
      time,
      status: info.status,
      reason: info.reason,
      ...(info.url ? { url: info.url } : {}),
      ...(info.location ? { location: info.location } : {}),
      attempts: info.attempts,
    }).slice(0, -1);
    const text = events.map((e) => this.redact(`${head},"event":${isJsonObject(e.json) ? e.json : JSON.stringify(e.json)}}\n`)).join('');
    const run = this.chain.then(async () => {
      await fsp.mkdir(path.dirname(this.file), { recursive: true });
      const handle = await fsp.open(this.file, 'a');
      try {
        await handle.writeFile(text);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function isJsonObject(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads a dead-letter file back (for tools and tests). */
export async function readDeadLetters(file: string): Promise<DeadLetterRecord[]> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DeadLetterRecord);
}
