import { RegtrailError, Spool, type SpoolPosition, type SpoolRecord } from '@regtrail/core/emit';

/**
 * The JetStream sink's overflow: events that do not fit in memory, or that could not be
 * published (the server unreachable, a publish timing out), are appended to core's write-ahead
 * spool and read back in order by the sink's drainer, which publishes them and marks each done
 * once the stream has acknowledged it. What the spool held at open (a producer stopped or killed
 * mid-outage) is read back first.
 *
 * State kept in memory, all bounded: the read position (two numbers), the counts below, and at
 * most one read chunk (`READ_BYTES`) of records in the drainer's hands.
 */

/** Bytes read from the spool at a time by the drainer. */
const READ_BYTES = 256 * 1024;

export class Overflow {
  /** Spooled events not yet acknowledged by the stream (those recovered at open included). */
  backlog: number;
  /** Of those, events that cannot be published as they are (see `skip`): they stay in the spool. */
  stuck = 0;
  private position: SpoolPosition | undefined;
  /** Appends so far: the drainer waits for this to change when it has read everything. */
  private appended = 0;
  private wake: (() => void) | undefined;
  private idle: (() => void)[] = [];

  private constructor(
    private readonly spool: Spool,
    backlog: number,
  ) {
    this.backlog = backlog;
  }

  /** Opens (and locks) the spool directory; `recovered` events are waiting in it from an earlier run, `lost` were found damaged. */
  static async open(dir: string, options: { ackIntervalMs: number; segmentBytes: number; log: (level: 'info' | 'warn' | 'error', message: string) => void }): Promise<{ overflow: Overflow; recovered: number; lost: number }> {
    const { spool, recovered, lost } = await Spool.open(dir, options);
    // The drainer reads the records from the files again: only their number is kept.
    return { overflow: new Overflow(spool, recovered.length), recovered: recovered.length, lost };
  }

  get dir(): string {
    return this.spool.dir;
  }

  /** Appends an event's JSON; resolves once it is fsync'ed. */
  async append(json: string): Promise<void> {
    // Counted before it is on disk: the drainer may read it, publish it and call `done` before this resumes.
    this.backlog++;
    try {
      await this.spool.append(json);
    } catch (err) {
      this.backlog--;
      this.settle();
      if (err instanceof RegtrailError) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new RegtrailError('SPOOL_FAILED', `cannot write to the spool ${this.spool.dir}: ${e.code ?? e.message}${e.code && e.path ? ` (${e.path})` : ''}`, { cause: err });
    }
    this.appended++;
    this.wake?.();
  }

  /** The next records in spool order (an empty list: none for now), and a mark to pass to `waitForMore`. */
  async next(): Promise<{ records: SpoolRecord[]; mark: number }> {
    const mark = this.appended;
    const { records, position } = await this.spool.read(this.position, READ_BYTES);
    this.position = position;
    return { records, mark };
  }

  /** Resolves once something was appended after `mark`, or the signal aborts. */
  waitForMore(mark: number, signal: AbortSignal): Promise<void> {
    if (this.appended !== mark || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.wake = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** The stream acknowledged the spooled event `seq`. */
  done(seq: number): void {
    this.spool.markDone([seq]);
    this.backlog--;
    this.settle();
  }

  /** The spooled event `seq` cannot be published (it stays in the spool; it no longer counts as on its way). */
  skip(): void {
    this.stuck++;
    this.settle();
  }

  /** Resolves when every spooled event is acknowledged (or stuck). */
  drained(): Promise<void> {
    if (this.backlog <= this.stuck) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private settle(): void {
    if (this.backlog > this.stuck || !this.idle.length) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Records what is done and releases the spool; what is not done stays for the next sink that opens it. */
  close(): Promise<void> {
    this.wake?.();
    return this.spool.close();
  }
}
