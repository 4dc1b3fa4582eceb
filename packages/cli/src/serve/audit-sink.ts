import fs from 'node:fs';
import type { Command } from 'commander';
import { RegtrailError } from '@regtrail/core/catalog';
import { fileSink, type EventSink } from '@regtrail/core/emit';
import { deliveryOptions, deliverySettings, type DeliveryCliOptions } from '../delivery/options.js';
import { openSink } from '../delivery/sink.js';
import { groupCommit } from './durable.js';

/** The sink options of the long-running commands: --out FILE, or --sink URL (http(s), or nats:// for JetStream) with the delivery options of send. */
export interface AuditSinkCliOptions extends Omit<DeliveryCliOptions, 'sink'> {
  out?: string;
  sink?: string;
}

export function auditSinkOptions(cmd: Command): Command {
  cmd.option('--out <file>', 'append the events to this NDJSON file (each one fsync\'ed before it counts as written)');
  return deliveryOptions(cmd, { required: false });
}

export interface AuditSink {
  /** A sink whose writes resolve once the event is durable (on disk, in the spool, or acknowledged by the stream). */
  readonly sink: EventSink;
  /** Events waiting in the spool for delivery, or for the stream's acknowledgement (0 for a file). */
  backlog(): number;
  /** Where the events go, for people. */
  readonly where: string;
  /** Closes the sink: a file is flushed; the HTTP sink delivers what it can within --timeout. Resolves to a note when something stays undelivered. */
  close(): Promise<string | undefined>;
}

/** Opens the sink --out or --sink names (exactly one of them), checking every option first. */
export async function openAuditSink(opts: AuditSinkCliOptions, log: (level: string, message: string) => void): Promise<AuditSink> {
  if ((opts.out === undefined) === (opts.sink === undefined)) throw new RegtrailError('BAD_OPTION', 'give exactly one of --out <file> and --sink <url>');
  if (opts.out !== undefined) {
    const stray = (['spool', 'tokenEnv', 'deadLetter', 'stream', 'subjectPrefix', 'replicas', 'waitForServer'] as const).filter((k) => opts[k] !== undefined);
    if (stray.length) throw new RegtrailError('BAD_OPTION', `--${stray[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --sink`);
    const file = fileSink(opts.out);
    const close = async () => {
      try {
        await file.close();
        return undefined;
      } catch (err) {
        // A full disk at exit: what the sink still holds is lost.
        if (err instanceof RegtrailError) return `events not written at exit: ${err.message}`;
        throw err;
      }
    };
    return { sink: groupCommit(file), backlog: () => 0, where: file.path, close };
  }
  const settings = deliverySettings({ ...opts, sink: opts.sink! });
  const { sink, dir, temporary, where } = await openSink(settings, log);
  return {
    sink,
    backlog: () => sink.stats().pending,
    where,
    async close() {
      let note: string | undefined;
      try {
        await sink.close();
      } catch (err) {
        if (!(err instanceof RegtrailError)) throw err;
        note = err.message;
      }
      const { pending } = sink.stats();
      if (pending > 0) {
        return dir !== undefined
          ? `${pending} event(s) not delivered stay in the spool ${dir}; run again with --spool ${dir} to send them`
          : `${pending} event(s) were not acknowledged by the stream before exit`;
      }
      if (temporary && !note) fs.rmSync(dir!, { recursive: true, force: true });
      return note;
    },
  };
}
