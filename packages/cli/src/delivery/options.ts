import fs from 'node:fs';
import type { Command } from 'commander';
import { RegtrailError } from '@regtrail/core/catalog';

/** The delivery options `send` and `simulate --sink` share, as commander gives them. */
export interface DeliveryCliOptions {
  sink: string;
  spool?: string;
  tokenEnv?: string;
  deadLetter?: string;
  batchSize?: string;
  timeout?: string;
  progress?: boolean;
}

/** The delivery options, checked. */
export interface DeliverySettings {
  readonly url: string;
  readonly maxEvents: number;
  readonly timeoutMs: number;
  readonly tokenEnv: string | undefined;
  readonly deadLetter: string | undefined;
  /** The spool directory the user named; undefined for a new temporary one. */
  readonly spool: string | undefined;
  readonly progress: boolean;
}

/** Adds the delivery options that `send` and `simulate` share. */
export function deliveryOptions(cmd: Command, { required }: { required: boolean }): Command {
  const sink = 'ingestion URL: a template with {location} (http://127.0.0.1:8080/{location}/v1/events) or a plain URL';
  return (required ? cmd.requiredOption('--sink <url>', sink) : cmd.option('--sink <url>', `send the events over HTTP to this ${sink}`))
    .option('--spool <dir>', 'write-ahead spool directory; run again with the same one to send what was not delivered (default: a new temporary directory)')
    .option('--token-env <name>', 'environment variable holding the bearer token (never printed)')
    .option('--dead-letter <file>', 'NDJSON file of the events the endpoint refused (default: dead-letter.ndjson in the spool)')
    .option('--batch-size <n>', 'events per request, at most', '500')
    .option('--timeout <s>', 'seconds to wait for delivery once everything is read', '30');
}

const bad = (message: string): never => {
  throw new RegtrailError('BAD_OPTION', message);
};

/** Checks every delivery option (each problem is a usage error, before any input is read). */
export function deliverySettings(opts: DeliveryCliOptions): DeliverySettings {
  const url = checkSinkUrl(opts.sink);
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
  return { url, maxEvents, timeoutMs, tokenEnv: opts.tokenEnv, deadLetter: opts.deadLetter, spool: opts.spool, progress: opts.progress !== false };
}

/** `--sink`: a URL template with `{location}` or a plain URL, http or https. */
function checkSinkUrl(text: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(text.split('{location}').join('us-south'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    bad(`invalid --sink ${JSON.stringify(redactUserinfo(text))}: expected an http or https URL, optionally with {location} (such as http://127.0.0.1:8080/{location}/v1/events)`);
  }
  // Credentials in the URL would be sent, logged and retried without a word: they belong in the environment.
  if (parsed!.username || parsed!.password) {
    bad(`invalid --sink ${JSON.stringify(redactUserinfo(text))}: a sink URL carries no user name or password; give the token with --token-env (an environment variable, sent as a bearer token)`);
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
