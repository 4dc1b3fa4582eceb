import path from 'node:path';
import { Command } from 'commander';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RegtrailError } from '@regtrail/core/catalog';
import { createRelay, parseServers, type RelayStats } from '@regtrail/nats';
import { startAdmin, type AdminServer } from '../admin.js';
import { parseListen } from '../serve/listen.js';
import { checkIngestUrl } from '../delivery/options.js';
import { EXIT, printError, printWarning } from '../io.js';

interface RelayCliOptions {
  from: string;
  to: string;
  stream: string;
  consumer: string;
  tokenEnv?: string;
  natsTokenEnv?: string;
  adminListen?: string;
  deadLetter: string;
  batchSize: string;
  fetchBatch: string;
  parallel: string;
  ackWait: string;
  maxAckPending: string;
  waitForServer?: string;
  json?: boolean;
}

function positive(option: string, value: string, integer = true): number {
  const n = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value) ? Number(value) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new RegtrailError('BAD_OPTION', `invalid ${option} ${JSON.stringify(value)}: expected a positive ${integer ? 'whole number' : 'number'}`);
  return n;
}

/** The relay's counters as Prometheus metrics, read from its stats when scraped. */
function relayMetrics(stats: () => RelayStats): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'regtrail_relay_process_' });
  const counter = (name: string, help: string, read: (s: RelayStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(stats()));
      },
    });
  counter('regtrail_relay_messages_received_total', 'Messages taken from the consumer, redeliveries included.', (s) => s.received);
  counter('regtrail_relay_messages_redelivered_total', 'Messages the server had delivered before without an acknowledgement.', (s) => s.redelivered);
  counter('regtrail_relay_messages_acked_total', 'Messages acknowledged after a 2xx (or the dead-letter file).', (s) => s.acked);
  counter('regtrail_relay_messages_naked_total', 'Messages handed back for redelivery.', (s) => s.naked);
  counter('regtrail_relay_ack_failures_total', 'Acknowledgements the server did not confirm.', (s) => s.ackFailures);
  counter('regtrail_relay_events_sent_total', 'Events the ingestion endpoint accepted (2xx).', (s) => s.http.sent);
  counter('regtrail_relay_events_retried_total', 'Events sent again after a failed request.', (s) => s.http.retried);
  counter('regtrail_relay_events_dead_lettered_total', 'Events written to the dead-letter file.', (s) => s.http.deadLettered);
  counter('regtrail_relay_http_requests_total', 'HTTP requests to the ingestion endpoints.', (s) => s.http.requests);
  counter('regtrail_relay_http_failed_requests_total', 'HTTP requests that failed (network error, 408, 429, 5xx).', (s) => s.http.failedRequests);
  new Gauge({
    name: 'regtrail_relay_messages_in_flight',
    help: 'Messages taken and not yet acknowledged.',
    registers: [registry],
    collect() {
      this.set(stats().inFlight);
    },
  });
  new Gauge({
    name: 'regtrail_relay_up',
    help: '1 when connected to NATS and consuming.',
    registers: [registry],
    collect() {
      this.set(stats().healthy ? 1 : 0);
    },
  });
  return registry;
}

export function relayCommand(): Command {
  return new Command('relay')
    .description(
      'Relay events from a NATS JetStream stream to HTTP ingestion endpoints: a durable pull consumer (shared by every relay of the same --consumer), ' +
        'batches posted with the HTTP delivery (retries, Retry-After, 413 split, dead letter), each message acknowledged only after a 2xx. ' +
        'Runs until SIGTERM or SIGINT; messages not acknowledged then are redelivered after the ack wait.',
    )
    .requiredOption('--from <nats-url>', 'the NATS server(s): nats://host:port[,nats://…]')
    .requiredOption('--to <url>', 'ingestion URL: a template with {location} (https://ingest.{location}.example.test/v1/events) or a plain URL')
    .option('--stream <name>', 'the JetStream stream', 'REGTRAIL')
    .option('--consumer <name>', 'the durable consumer, created when missing; relays with the same one share the work', 'relay')
    .option('--token-env <name>', 'environment variable holding the ingestion bearer token (never printed)')
    .option('--nats-token-env <name>', 'environment variable holding a NATS token')
    .option('--admin-listen <host:port>', 'serve /metrics (Prometheus) and /healthz here, such as 127.0.0.1:9464')
    .option('--dead-letter <file>', 'NDJSON file of the events the endpoint refused', 'regtrail-relay-dead-letter.ndjson')
    .option('--batch-size <n>', 'events per HTTP request, at most', '500')
    .option('--fetch-batch <n>', 'messages taken per pull', '500')
    .option('--parallel <n>', 'pulls in flight at once', '2')
    .option('--ack-wait <s>', 'when creating the consumer: seconds before an unacknowledged message is redelivered', '30')
    .option('--max-ack-pending <n>', 'when creating the consumer: unacknowledged messages at most, across all relays', '10000')
    .option('--wait-for-server <s>', 'keep trying to reach NATS at start for up to this many seconds, counting attempts (default: fail at once)')
    .option('--json', 'print the final counters as one JSON object')
    .action(async (opts: RelayCliOptions) => {
      // Every option is checked before anything is connected to.
      checkIngestUrl('--to', opts.to);
      parseServers(opts.from, '--from');
      if (opts.adminListen !== undefined) parseListen('--admin-listen', opts.adminListen);
      const warn = (level: string, message: string) => (level === 'error' ? printError : printWarning)(message);
      // No spool: the stream holds each event until the relay acknowledges it, after a 2xx.
      const relay = createRelay({
        servers: opts.from,
        stream: opts.stream,
        consumer: opts.consumer,
        ackWaitMs: positive('--ack-wait', opts.ackWait, false) * 1000,
        maxAckPending: positive('--max-ack-pending', opts.maxAckPending),
        fetchBatch: positive('--fetch-batch', opts.fetchBatch),
        parallel: positive('--parallel', opts.parallel),
        ...(opts.natsTokenEnv !== undefined ? { natsTokenEnv: opts.natsTokenEnv } : {}),
        ...(opts.waitForServer !== undefined ? { waitForServerMs: positive('--wait-for-server', opts.waitForServer, false) * 1000 } : {}),
        onConnectAttempt: (attempt, reason) => warn('warn', `cannot reach NATS at ${opts.from} (${reason}); attempt ${attempt}, trying again`),
        http: {
          url: opts.to,
          deadLetterFile: opts.deadLetter,
          ...(opts.tokenEnv !== undefined ? { tokenEnv: opts.tokenEnv } : {}),
          batch: { maxEvents: positive('--batch-size', opts.batchSize) },
        },
        log: (level, message) => {
          if (level === 'warn' || level === 'error') warn(level, message);
        },
      });
      let admin: AdminServer | undefined;
      const cleanUp = async () => {
        await relay.stop();
        await admin?.close();
      };
      try {
        await relay.ready;
        if (opts.adminListen !== undefined) {
          admin = await startAdmin(opts.adminListen, relayMetrics(() => relay.stats()), () => {
            const s = relay.stats();
            return { ok: s.healthy, received: s.received, acked: s.acked, inFlight: s.inFlight, sent: s.http.sent, deadLettered: s.http.deadLettered };
          });
        }
      } catch (err) {
        await cleanUp();
        throw err;
      }
      process.stderr.write(`relaying ${opts.stream}/${opts.consumer} from ${opts.from} to ${opts.to}${admin ? `; metrics on ${admin.url}/metrics` : ''}\n`);
      // Runs until a signal: then lets the batches in flight finish, and exits.
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      printWarning(`${signal}: finishing the batches in flight, then exiting`);
      await cleanUp();
      const s = relay.stats();
      const summary = { received: s.received, redelivered: s.redelivered, acked: s.acked, naked: s.naked, ackFailures: s.ackFailures, unacknowledged: s.inFlight, ...s.http };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(summary, null, 2)}\n`
          : `${s.received} received (${s.redelivered} redelivered), ${s.acked} acknowledged; ${s.http.sent} sent, ${s.http.retried} retried, ${s.http.deadLettered} dead-lettered\n`,
      );
      if (s.http.deadLettered > 0) printWarning(`${s.http.deadLettered} event(s) in the dead-letter file ${path.resolve(opts.deadLetter)}`);
      process.exitCode = EXIT.ok;
    });
}
