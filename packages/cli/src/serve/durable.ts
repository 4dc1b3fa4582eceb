import type { EventSink } from '@regtrail/core/emit';

/**
 * A file sink whose writes resolve only once the event is on disk (fsync'ed): each write joins
 * the next flush, so one fsync covers every event written while the previous one ran (group
 * commit). A failed flush fails every write that waited for it.
 */
export function groupCommit(sink: EventSink): EventSink {
  let waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const run = async () => {
    running = true;
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        await sink.flush();
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = false;
  };
  return {
    async write(event) {
      await sink.write(event);
      await new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!running) void run();
      });
    },
    flush: () => sink.flush(),
    close: () => sink.close(),
  };
}
