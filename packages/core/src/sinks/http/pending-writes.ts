/**
 * The writes in progress, for `flush`: it waits for the writes begun before it was called, not for
 * those that come while it waits (a busy producer would keep it waiting for good).
 *
 * Counts, not a Set of the writes' promises: with a thousand writes in flight, a Set rehashes its
 * table every thousand or so adds and deletes, and each table lives long enough to be copied into
 * V8's old generation (a quarter of what `simulate --sink` promoted there). A write costs an
 * increment and a decrement of its generation's count; a flush closes the current generation and
 * waits for it (and every earlier one) to drain.
 */
export class PendingWrites {
  private current = new Generation();
  /** Settles once every closed generation has drained. */
  private drained: Promise<void> = Promise.resolve();

  /** A write begins: call `end` with what this returns once it settled. */
  begin(): Generation {
    this.current.pending++;
    return this.current;
  }

  end(g: Generation): void {
    if (--g.pending === 0 && g.wake !== undefined) {
      const wake = g.wake;
      g.wake = undefined;
      wake();
    }
  }

  /** Resolves once every write begun before this call has ended (whether it succeeded or failed). */
  settled(): Promise<void> {
    const g = this.current;
    if (g.pending > 0) {
      this.current = new Generation();
      const own = new Promise<void>((resolve) => (g.wake = resolve));
      const before = this.drained;
      this.drained = before.then(() => own);
    }
    return this.drained;
  }
}

class Generation {
  pending = 0;
  /** Set once a flush waits for this generation. */
  wake: (() => void) | undefined = undefined;
}
