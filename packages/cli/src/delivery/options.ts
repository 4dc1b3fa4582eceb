import fs from 'node:fs';
import type { Command } from 'commander';
import { RegtrailError } from '@regtrail/core/catalog';
import { isNatsUrl, parseServers } from '@regtrail/nats/servers';

/** The delivery options `send` and `simulate --sink` share, as commander gives them. */
export interface DeliveryCliOptions {
  sink: string;
  spool?: string;
  tokenEnv?: string;
  deadLetter?: string;
  batchSize?: string;
  timeout?: string;
  progress?: boolean;
  stream?: string;
  subjectPrefix?: string;
  replicas?: string;
  waitForServer?: string;
}

/** With a nats:// sink: the stream, and how long to wait for a server at start. */
interface NatsSettings {
  readonly servers: string[];
  readonly stream: string | undefined;
  readonly subjectPrefix: string | undefined;
  readonly replicas: number | undefined;
  readonly waitForServerMs: number;
}

/** The delivery options, checked. */
export interface DeliverySettings {
  /** The HTTP ingestion URL template, or the nats:// servers as given. */
  readonly url: string;
  /** Set for a nats:// sink (JetStream), undefined for HTTP. */
  readonly nats: NatsSettings | undefined;
  readonly maxEvents: number;
  readonly timeoutMs: number;
  readonly tokenEnv: string | undefined;
  readonly deadLetter: string | undefined;
  /** The spool directory the user named; undefined for a new temporary one (HTTP), or none (nats://: events wait in memory). */
  readonly spool: string | undefined;
  readonly progress: boolean;
}

/** Adds the delivery options that `send` and `simulate` share. */
export function deliveryOptions(cmd: Command, { required }: { required: boolean }): Command {
  const sink =
    'ingestion URL: a template with {location} (http://127.0.0.1:8080/{location}/v1/events) or a plain URL; or nats://host:port[,nats://…] to publish to a NATS JetStream stream';
  return (required ? cmd.requiredOption('--sink <url>', sink) : cmd.option('--sink <url>', `send the events to this ${sink}`))
    .option('--spool <dir>', 'write-ahead spool directory; run again with the same one to send what was not delivered (default: a new temporary directory). With a nats:// sink: events wait there, fsync\'ed, while the server is unreachable or memory is full (default: none, they wait in memory)')
    .option('--token-env <name>', 'environment variable holding the bearer token (never printed)')
    .option('--dead-letter <file>', 'NDJSON file of the events the endpoint refused (default: dead-letter.ndjson in the spool)')
    .option('--batch-size <n>', 'events per request, at most', '500')
    .option('--timeout <s>', 'seconds to wait for delivery once everything is read', '30')
    .option('--stream <name>', 'with a nats:// sink: the JetStream stream, created when missing (default: REGTRAIL)')
    .option('--subject-prefix <prefix>', 'with a nats:// sink: events go to <prefix>.<location> (default: regtrail.events)')
    .option('--replicas <n>', 'with a nats:// sink: replicas of the stream when it is created (1, or 3 on a three-node cluster)')
    .option('--wait-for-server <s>', 'with a nats:// sink: keep trying to reach the server at start for up to this many seconds, counting attempts (default: fail at once)');
}

const bad = (message: string): never => {
  throw new RegtrailError('BAD_OPTION', message);
};

/** Checks every delivery option (each problem is a usage error, before any input is read). */
export function deliverySettings(opts: DeliveryCliOptions): DeliverySettings {
  const nats = isNatsUrl(opts.sink) ? natsSettings(opts) : undefined;
  if (!nats) {
    const stray = (['stream', 'subjectPrefix', 'replicas', 'waitForServer'] as const).find((k) => opts[k] !== undefined);
    if (stray) bad(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with a nats:// sink`);
  }
  const url = nats ? opts.sink : checkIngestUrl('--sink', opts.sink);
  const maxEvents = positive('--batch-size', opts.batchSize, 500, true);
  const timeoutMs = positive('--timeout', opts.timeout, 30, false) * 1000;
  if (opts.tokenEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.tokenEnv)) bad(`invalid --token-env ${JSON.stringify(opts.tokenEnv)}: expected the name of an environment variable`);
    if (!process.env[opts.tokenEnv]) throw new RegtrailError('NO_CREDENTIALS', `--token-env ${opts.tokenEnv}: the environment variable ${opts.tokenEnv} is not set`);
  }
  if (opts.spool !== undefined && fs.existsSync(opts.spool) && !fs.statSync(opts.spool).isDirectory()) {
    bad(`invalid --spool ${JSON.stringify(opts.spool)}: it is not a directory`);
  }
  if (opts.spool !== undefined) {
    // A spool that cannot be made would hold nothing; say so before any event is read.
    try {
      fs.mkdirSync(opts.spool, { recursive: true });
      fs.accessSync(opts.spool, fs.constants.W_OK);
    } catch (err) {
      bad(`invalid --spool ${JSON.stringify(opts.spool)}: cannot create or write it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return { url, nats, maxEvents, timeoutMs, tokenEnv: opts.tokenEnv, deadLetter: opts.deadLetter, spool: opts.spool, progress: opts.progress !== false };
}

/** `--sink nats://…`: the servers, and the options that go with them only. */
function natsSettings(opts: DeliveryCliOptions): NatsSettings {
  let servers: string[] = [];
  try {
    servers = parseServers(opts.sink, '--sink');
  } catch (err) {
    bad(`invalid ${(err as Error).message}`);
  }
  // The stream keeps what is not yet relayed: a producer's spool (--spool) only holds what the stream has not acknowledged yet, and the dead letters are the relay's.
  if (opts.deadLetter !== undefined) bad('--dead-letter goes with an HTTP sink; with a nats:// sink, the relay keeps the dead letters');
  const replicas = opts.replicas === undefined ? undefined : positive('--replicas', opts.replicas, 1, true);
  if (replicas !== undefined && replicas > 5) bad(`invalid --replicas ${JSON.stringify(opts.replicas)}: JetStream keeps 1 to 5 replicas`);
  const waitForServerMs = opts.waitForServer === undefined ? 0 : positive('--wait-for-server', opts.waitForServer, 0, false) * 1000;
  return { servers, stream: opts.stream, subjectPrefix: opts.subjectPrefix, replicas, waitForServerMs };
}

/**
 * An ingestion URL option (`send --sink`, `relay --to`): a template with `{location}` or a plain
 * URL, http or https, without credentials. Any other `{placeholder}` is refused: it would be sent
 * as it is, to an endpoint that does not exist.
 */
export function checkIngestUrl(option: string, text: string): string {
  const shown = JSON.stringify(redactUserinfo(text));
  const placeholder = /\{([^{}]*)\}/g;
  for (const m of text.matchAll(placeholder)) {
    if (m[1] !== 'location') bad(`invalid ${option} ${shown}: unknown placeholder {${m[1]}}; the only one is {location}`);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(text.split('{location}').join('us-south'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    bad(`invalid ${option} ${shown}: expected an http or https URL, optionally with {location} (such as http://127.0.0.1:8080/{location}/v1/events)`);
  }
  // Credentials in the URL would be sent, logged and retried without a word: they belong in the environment.
  if (parsed!.username || parsed!.password) {
    bad(`invalid ${option} ${shown}: a sink URL carries no user name or password; give the token with --token-env (an environment variable, sent as a bearer token)`);
  }
  return text;
}

/** A URL may carry a password (user:pass@host); never print it. */
function redactUserinfo(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//[REDACTED]@');
}

function positive(option: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value) ? Number(value) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) bad(`invalid ${option} ${JSON.stringify(value)}: expected a positive ${integer ? 'whole number' : 'number'}`);
  return n;
}
