/**
 * Process lifecycle for a command that delivers: on SIGTERM or SIGINT, `close` (which delivers
 * what is pending, up to its time limit), then exit 0, or 1 when it failed (events were left in
 * the spool). Each handler runs once: the same signal again kills at once. Returns a function
 * that removes the handlers.
 */
export function closeOnSignals(
  close: () => Promise<void>,
  report: { closing(signal: NodeJS.Signals): void; failed(signal: NodeJS.Signals, err: unknown): void },
): () => void {
  const handlers = (['SIGTERM', 'SIGINT'] as const).map((signal) => {
    const handler = () => {
      report.closing(signal);
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          report.failed(signal, err);
          process.exit(1);
        },
      );
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
