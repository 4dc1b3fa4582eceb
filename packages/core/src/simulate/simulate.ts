import { setTimeout as sleep } from 'node:timers/promises';
import { RegtrailError } from '../errors.js';
import { actionAsOf, allActions, type Action } from '../catalog/catalog.js';
import { listRegions, resolveRegion, type Region } from '../regions/regions.js';
import { eventLocation, locationEditions } from '../regions/location.js';
import type { IsoDate } from '../dates.js';
import { createEmitter, type Emitter } from '../event/emitter.js';
import type { EmitInput, InitiatorInput, TargetInput } from '../event/input.js';
import { formatEventTime } from '../event/time.js';
import type { EventSink } from '../sinks/sink.js';
import type { Outcome } from '../event/types.js';
import { seededRandom, type Random } from './prng.js';

export interface SimulateOptions {
  count: number;
  sink: EventSink;
  /** Seed of the generator: the same seed, options and catalog give the same events. 1 by default. */
  seed?: string | number;
  /** Time of the first event; 2025-01-01T00:00:00Z by default. */
  start?: Date;
  /** Mean events per second of simulated time (arrival gaps are exponential); 5 by default. */
  rate?: number;
  /** Also pace the writes in real time at `rate`. */
  realtime?: boolean;
  accountId?: string;
  /** The service's home region: account and namespace-less events come from it; us-south by default. */
  region?: string;
  /** Called after each event with the number written so far. */
  onProgress?: (done: number) => void;
}

/**
 * No simulated event takes fewer bytes than this as an NDJSON line (each carries its CRNs,
 * initiator, target and message; the smallest seen is about 800). A lower bound for sizing a
 * destination: `count` events need at least `count * SIMULATED_EVENT_MIN_BYTES` bytes.
 */
export const SIMULATED_EVENT_MIN_BYTES = 512;

/** Relative frequency of each action; unlisted ones get 0.5. Pulls and pushes dominate, as in a real registry. */
const WEIGHTS: Record<string, number> = {
  'image.pull': 50,
  'image.push': 14,
  'image.list': 5,
  'image.inspect': 4,
  'manifest.inspect': 2,
  'image.tag': 2,
  'image.untag': 1,
  'image.delete': 1.5,
  'image.bulkdelete': 0.3,
  'namespace.list': 3,
  'namespace.create': 1,
  'namespace.delete': 0.3,
  'image-vulnerability-status.read': 2,
  'image-vulnerability-report.read': 2,
  'account-vulnerability-status.list': 1,
  'account-vulnerability-report.list': 1,
  'signature.read': 1,
  'signature.write': 0.5,
  'quota.get': 1,
  'plan.get': 1,
};


const FAILURES: readonly (readonly [number, number])[] = [
  [401, 2],
  [403, 2],
  [404, 3],
  [500, 1],
];

interface World {
  namespaces: { name: string; region: Region; repos: string[] }[];
  users: InitiatorInput[];
  serviceIds: InitiatorInput[];
}

/** Whether the region's events had somewhere to go on that date (a region not yet available has no event location). */
function inService(region: Region, asOf: string): boolean {
  try {
    eventLocation(region, { asOf: asOf as IsoDate });
    return true;
  } catch {
    return false;
  }
}

function makeWorld(random: Random, home: Region, asOf: string): World {
  const regions = listRegions().filter((r) => !r.global && inService(r, asOf));
  const words = ['team', 'prod', 'staging', 'data', 'platform', 'ml', 'web', 'payments'];
  const repos = ['api', 'web', 'worker', 'frontend', 'auth', 'batch', 'db-migrate', 'gateway', 'scheduler'];
  const namespaces = Array.from({ length: 6 }, (_, i) => ({
    name: `${words[i % words.length]}-${random.hex(4)}`,
    region: i < 3 || regions.length === 0 ? home : random.pick(regions),
    repos: Array.from({ length: 2 + random.int(3) }, () => random.pick(repos)).filter((r, j, all) => all.indexOf(r) === j),
  }));
  const ip = () =>
    random.next() < 0.15
      ? `2001:db8:${random.hex(4)}::${random.int(255).toString(16)}`
      : `${random.pick(['203.0.113', '198.51.100', '192.0.2'])}.${1 + random.int(254)}`;
  const users = Array.from({ length: 8 }, (_, i) => ({
    id: `IBMid-${String(100000000 + random.int(899999999))}`,
    name: `${['ana', 'bo', 'chen', 'dara', 'eli', 'femi', 'gus', 'hana'][i]}@example.com`,
    type: 'user' as const,
    credential: random.next() < 0.7 ? ('token' as const) : ('apikey' as const),
    ip: ip(),
  }));
  const serviceIds = ['ci-pipeline', 'k8s-image-puller', 'nightly-cleanup'].map((name) => ({
    id: `iam-ServiceId-${random.uuid()}`,
    name,
    type: 'serviceid' as const,
    credential: 'apikey' as const,
    ip: ip(),
  }));
  return { namespaces, users, serviceIds };
}

const shortId = (a: Action) => a.id.slice(a.id.indexOf('.') + 1);

/**
 * Writes `count` realistic events to `sink`: a reproducible mix (seeded PRNG, simulated clock
 * stepping from `start`) weighted toward image pulls and pushes, about 7% failures (401, 403,
 * 404, 409 for creates, 500). Only actions listed on each event's date are used. Resolves to the
 * number of events written; does not close the sink.
 */
export async function simulate(options: SimulateOptions): Promise<number> {
  const { count, sink } = options;
  if (!Number.isInteger(count) || count < 0) throw new RegtrailError('BAD_OPTIONS', `count must be a whole number, not ${count}`);
  const rate = options.rate ?? 5;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RegtrailError('BAD_OPTIONS', `rate must be a positive number of events per second, not ${rate}`);
  const random = seededRandom(options.seed ?? 1);
  const home = resolveRegion(options.region ?? 'us-south');
  const accountId = options.accountId ?? random.hex(32);
  let now = (options.start ?? new Date('2025-01-01T00:00:00Z')).getTime();
  if (!Number.isFinite(now)) throw new RegtrailError('BAD_OPTIONS', 'start must be a valid date');
  const startDay = new Date(now).toISOString().slice(0, 10);
  if (!inService(home, startDay)) {
    const first = locationEditions()[0]!.since;
    throw new RegtrailError(
      'NOT_IN_SERVICE',
      startDay < first
        ? `${home.id} had no event location on ${startDay}: the first rule of where events are found dates from ${first}; start on or after it`
        : `${home.id} had no event location on ${startDay} (not yet available); start later or choose another region`,
    );
  }
  const world = makeWorld(random, home, startDay);

  const emitters = new Map<string, Emitter>();
  const emitterFor = (region: Region) => {
    let e = emitters.get(region.id);
    if (!e) {
      e = createEmitter({ accountId, region, sink, clock: () => now, newId: () => random.uuid(), warn: () => {} });
      emitters.set(region.id, e);
    }
    return e;
  };

  let day = '';
  let choices: (readonly [Action, number])[] = [];
  const wallStart = Date.now();
  for (let n = 0; n < count; n++) {
    const today = formatEventTime(now).slice(0, 10);
    if (today !== day) {
      day = today;
      choices = allActions()
        .filter((a) => a.dataEvent !== 'unclassified' && actionAsOf(a, day)?.status === 'listed')
        .map((a) => [a, WEIGHTS[shortId(a)] ?? 0.5] as const);
      if (choices.length === 0) throw new RegtrailError('NO_ACTIONS', `no action is listed on ${day}; start later`);
    }
    const action = random.weighted(choices);
    const short = shortId(action);
    const ns = random.pick(world.namespaces);
    const repo = random.pick(ns.repos);
    const initiator = short === 'image.pull' && random.next() < 0.5 ? world.serviceIds[1]! : random.next() < 0.6 ? random.pick(world.users) : random.pick(world.serviceIds);

    const failed = random.next() < 0.07;
    let status = 200;
    if (failed) status = /\.create$/.test(short) && random.next() < 0.6 ? 409 : random.weighted(FAILURES);
    const outcome: Outcome = failed ? 'failure' : 'success';

    const tag = random.pick(['1.0.0', '1.0.1', '1.1.0', '2.0.0-rc1', 'latest', 'main']);
    const digest = `sha256:${random.hex(64)}`;
    const domain = ns.region.domain;
    const byDigest = random.next() < 0.1;
    let target: TargetInput;
    let region = home;
    // Of the kinds of target the catalog lists for the action, mostly the usual one.
    const kind = action.targets.length > 1 && random.next() < 0.2 ? action.targets[1]! : action.targets[0]!;
    if (kind === 'image') {
      const reference = `${domain}/${ns.name}/${repo}${byDigest ? `@${digest}` : `:${tag}`}`;
      // A request that fails before the registry resolved the image knows no digest.
      target = { type: 'image', reference, ...(failed || byDigest ? {} : { digest }) };
      region = ns.region;
    } else if (kind === 'namespace') {
      target = { type: 'namespace', name: ns.name };
      region = ns.region;
    } else if (kind === 'exemption') {
      target = { type: 'exemption', id: random.uuid(), name: `CVE-2024-${1000 + random.int(9000)}` };
    } else if (kind === 'account') {
      target = { type: 'account' };
    } else {
      target = { type: 'resource', resourceType: kind, id: random.uuid(), name: `${kind}-${random.int(1000)}` };
    }

    const requestData: Record<string, unknown> = {};
    const responseData: Record<string, unknown> = {};
    for (const f of action.fields) {
      const keys = f.path.split('.');
      const root = keys[0] === 'requestData' ? requestData : responseData;
      if (root === responseData && failed) continue;
      const last = keys.pop()!;
      let node = root;
      for (const k of keys.slice(1)) node = (node[k] ??= {}) as Record<string, unknown>;
      node[last] = f.values
        ? random.pick(f.values)
        : last === 'repository'
          ? `${domain}/${ns.name}/${repo}`
          : last === 'name'
            ? `${domain}/${ns.name}/${repo}:${tag}`
            : last === 'id'
              ? random.uuid()
              : last === 'signatureMethod'
                ? 'simple-signing'
                : last === 'signatureObject'
                  ? 'image'
                  : `${last}-${random.hex(6)}`;
    }
    if (short === 'image.tag' || short === 'image.untag') requestData.tag = `${domain}/${ns.name}/${repo}:${tag}`;

    const input: EmitInput<string> = {
      initiator,
      target,
      outcome,
      status,
      ...(Object.keys(requestData).length ? { requestData } : {}),
      ...(Object.keys(responseData).length ? { responseData } : {}),
      ...(random.next() < 0.3 ? { correlationId: random.uuid() } : {}),
      ...(failed ? { reasonForFailure: failureText(status) } : {}),
    };
    await emitterFor(region).emit(action.id as never, input as never);
    options.onProgress?.(n + 1);

    // Exponential gaps, in whole hundredths of a second (the resolution of eventTime).
    const gap = Math.max(10, Math.round((-Math.log(1 - random.next()) / rate) * 100) * 10);
    now += gap;
    if (options.realtime) {
      const ahead = (n + 1) * (1000 / rate) - (Date.now() - wallStart);
      if (ahead > 0) {
        await sink.flush();
        await sleep(ahead);
      }
    }
  }
  return count;
}

function failureText(status: number): string {
  switch (status) {
    case 401:
      return 'The credential is missing or has expired.';
    case 403:
      return 'The caller is not authorized for this action in this account.';
    case 404:
      return 'The resource does not exist.';
    case 409:
      return 'The resource already exists.';
    default:
      return 'An internal error occurred; try again later.';
  }
}
