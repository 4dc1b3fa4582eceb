/** A one-line progress bar on standard error, redrawn at most every 50 ms; used only on a terminal. */
export interface ProgressBar {
  /** `done` of `total` (the total given at the start unless another is given); `note` follows the counts. */
  update(done: number, total?: number, note?: string): void;
  /** Draws the last state (all done unless `done` is given) and ends the line. */
  end(done?: number, note?: string): void;
}

/** A progress bar when standard error is a terminal and `enabled`; otherwise undefined (nothing is drawn). */
export function progressBar(total: number, enabled = true, stream: NodeJS.WriteStream = process.stderr): ProgressBar | undefined {
  if (!enabled || !stream.isTTY) return undefined;
  const width = 30;
  let last = '';
  let lastAt = 0;
  let current = { done: 0, total, note: '' };
  const draw = () => {
    const { done, total: all, note } = current;
    const ratio = all <= 0 ? 1 : Math.min(1, done / all);
    const filled = Math.round(ratio * width);
    const pct = Math.floor(ratio * 100);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${all}${note ? ` ${note}` : ''}\x1b[K`);
  };
  return {
    update(done, newTotal, note) {
      current = { done, total: newTotal ?? current.total, note: note ?? current.note };
      const key = `${Math.floor((done / Math.max(1, current.total)) * 100)} ${current.note}`;
      const now = Date.now();
      if (key !== last && now - lastAt > 50) {
        last = key;
        lastAt = now;
        draw();
      }
    },
    end(done, note) {
      current = { ...current, done: done ?? current.total, note: note ?? current.note };
      draw();
      stream.write('\n');
    },
  };
}
