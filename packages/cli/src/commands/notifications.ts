import http from 'node:http';
import { Command } from 'commander';
import { createEmitter } from '@regtrail/core/emit';
import { createNotificationHandler } from '@regtrail/core/proxy';
import { EXIT } from '../io.js';
import { auditSinkOptions, openAuditSink, type AuditSinkCliOptions } from '../serve/audit-sink.js';
import { listen } from '../serve/listen.js';
import { note, stopListening, untilSignal } from '../serve/run.js';

interface NotificationsCliOptions extends AuditSinkCliOptions {
  listen: string;
  account: string;
  region: string;
  publicHost?: string;
  json?: boolean;
}

export function notificationsCommand(): Command {
  const cmd = new Command('notifications')
    .description(
      "Receive a CNCF distribution registry's notifications (notifications.endpoints in its config) and write image.push, image.pull and image.delete events for its manifest events. " +
        'It answers 2xx only once the events are written (the registry retries otherwise); a notification delivered twice gives one event; blob events are ignored. ' +
        'Notifications report successful operations only: put `regtrail proxy` in front of the registry to see failures and denials too. ' +
        'SIGTERM or SIGINT: finish what is in flight, flush, exit. Exit code 0: ok, 1: events left undelivered, 2: usage error.',
    )
    .requiredOption('--listen <host:port>', 'where the registry POSTs its notifications, such as 127.0.0.1:5002')
    .requiredOption('--account <id>', 'the account the events belong to')
    .requiredOption('--region <region>', "the registry's region (us-south, a former name, or a registry domain)")
    .option('--public-host <host>', "the registry's public host name that images are named with (default: the region's domain, such as us.icr.io)")
    .option('--json', 'at exit, print the counts as one JSON object');
  return auditSinkOptions(cmd).action(async (opts: NotificationsCliOptions) => {
    const log = note('notifications');
    const audit = await openAuditSink(opts, log);
    let server: http.Server | undefined;
    try {
      const emitter = createEmitter({ accountId: opts.account, region: opts.region, sink: audit.sink });
      const counts = { emitted: 0, duplicates: 0, failed: 0 };
      const handler = createNotificationHandler({
        emitter,
        publicHost: opts.publicHost ?? emitter.region.domain,
        log,
        observer: { emitted: () => counts.emitted++, duplicate: () => counts.duplicates++, failed: () => counts.failed++ },
      });
      server = http.createServer(handler.handle);
      const where = await listen(server, '--listen', opts.listen);
      process.stderr.write(`regtrail notifications: listening on http://${where}; events to ${audit.where}\n`);
      const signal = await untilSignal();
      process.stderr.write(`regtrail notifications: ${signal}: finishing the envelopes in flight, then writing the events\n`);
      const closing = stopListening(server);
      await handler.drain();
      server.closeAllConnections();
      await closing;
      const left = await audit.close();
      if (left) log('error', left);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok: left === undefined, ...counts, undelivered: left ?? null }, null, 2)}\n`);
      else process.stderr.write(`regtrail notifications: ${counts.emitted} event(s) written, ${counts.duplicates} duplicate(s) skipped, ${counts.failed} failed write(s) (the registry sent those again)\n`);
      process.exitCode = left === undefined ? EXIT.ok : EXIT.failed;
    } catch (err) {
      server?.close();
      await audit.close().catch(() => undefined);
      throw err;
    }
  });
}
