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
 * The size of the simulated world, for the benchmark: `repositories` repositories spread over
 * namespaces (six tags each), and `callers` callers (users and service ids). Absent: the
 * simulator's usual small world (six namespaces, eleven callers).
 */
export interface WorldSize {
  repositories: number;
  callers: number;
}

function makeBigWorld(random: Random, home: Region, size: WorldSize): World {
  const perNamespace = 50;
  const namespaces = Array.from({ length: Math.ceil(size.repositories / perNamespace) }, (_, i) => ({
    name: `ns${i}-${random.hex(4)}`,
    region: home,
    repos: Array.from({ length: Math.min(perNamespace, size.repositories - i * perNamespace) }, (_, j) => `repo-${j}`),
  }));
  const ip = (i: number) => `198.51.${100 + (i >> 8)}.${i & 255}`;
  const serviceCount = Math.max(3, Math.round(size.callers * 0.3));
  const users = Array.from({ length: size.callers - serviceCount }, (_, i) => ({
    id: `IBMid-${String(100000000 + random.int(899999999))}`,
    name: `user-${i}@example.com`,
    type: 'user' as const,
    credential: 'token' as const,
    ip: ip(i),
  }));
  const serviceIds = Array.from({ length: serviceCount }, (_, i) => ({
    id: `iam-ServiceId-${random.uuid()}`,
    name: `service-${i}`,
    type: 'serviceid' as const,
    credential: 'apikey' as const,
    ip: ip(1000 + i),
  }));
  return { namespaces, users, serviceIds };
}

/** One request of a simulation: what the service would hand its emitter. */
export interface SimulatedRequest {
  readonly action: Action;
  /** The region of the emitter that writes it. */
  readonly region: Region;
  readonly input: EmitInput<string>;
  /** The event's id and time (ms). */
  readonly id: string;
  readonly time: number;
}

/** A simulation: its account and a source of requests, made one at a time. */
export interface Simulation {
  readonly accountId: string;
  next(): SimulatedRequest;
}

/**
 * The requests `simulate` writes events for, one at a time, from a seeded generator; `world`
 * makes the world larger (the benchmark's). Throws for options that cannot be simulated.
 */
export function simulation(options: Omit<SimulateOptions, 'count' | 'sink'> & { world?: WorldSize }): Simulation {
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
  const world = options.world ? makeBigWorld(random, home, options.world) : makeWorld(random, home, startDay);

  let day = '';
  /** When the day of the last plan ends (ms): the clock only moves forward. */
  let dayEnd = Number.NEGATIVE_INFINITY;
  let choices: (readonly [ActionPlan, number])[] = [];
  const next = (): SimulatedRequest => {
    if (now >= dayEnd) {
      day = formatEventTime(now).slice(0, 10);
      dayEnd = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
      choices = allActions()
        .filter((a) => a.dataEvent !== 'unclassified' && actionAsOf(a, day)?.status === 'listed')
        .map((a) => [planOf(a), WEIGHTS[shortId(a)] ?? 0.5] as const);
      if (choices.length === 0) throw new RegtrailError('NO_ACTIONS', `no action is listed on ${day}; start later`);
    }
    const plan = random.weighted(choices);
    const { action } = plan;
    const ns = random.pick(world.namespaces);
    const repo = random.pick(ns.repos);
    const initiator = plan.isPull && random.next() < 0.5 ? world.serviceIds[1]! : random.next() < 0.6 ? random.pick(world.users) : random.pick(world.serviceIds);

    const failed = random.next() < 0.07;
    let status = 200;
    if (failed) status = plan.isCreate && random.next() < 0.6 ? 409 : random.weighted(FAILURES);
    const outcome: Outcome = failed ? 'failure' : 'success';

    const tag = random.pick(TAGS);
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
      target = failed || byDigest ? { type: 'image', reference } : { type: 'image', reference, digest };
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

    let requestData: Record<string, unknown> | undefined;
    let responseData: Record<string, unknown> | undefined;
    for (const f of plan.fields) {
      if (f.inResponse && failed) continue;
      let node = f.inResponse ? (responseData ??= {}) : (requestData ??= {});
      for (const k of f.between) node = (node[k] ??= {}) as Record<string, unknown>;
      const last = f.last;
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
    if (plan.isTagging) (requestData ??= {}).tag = `${domain}/${ns.name}/${repo}:${tag}`;

    const input: EmitInput<string> = { initiator, target, outcome, status };
    if (requestData !== undefined) (input as { requestData?: unknown }).requestData = requestData;
    if (responseData !== undefined) input.responseData = responseData;
    if (random.next() < 0.3) input.correlationId = random.uuid();
    if (failed) input.reasonForFailure = failureText(status);
    const id = random.uuid();
    const time = now;
    // Exponential gaps, in whole hundredths of a second (the resolution of eventTime).
    now += Math.max(10, Math.round((-Math.log(1 - random.next()) / rate) * 100) * 10);
    return { action, region, input, id, time };
  };
  return { accountId, next };
}

const DAY_MS = 86_400_000;

const TAGS = ['1.0.0', '1.0.1', '1.1.0', '2.0.0-rc1', 'latest', 'main'];

/** What the simulator needs to know of an action, worked out once per action and day. */
interface ActionPlan {
  readonly action: Action;
  readonly isPull: boolean;
  readonly isCreate: boolean;
  readonly isTagging: boolean;
  /** The request/response fields the catalog lists, split into their keys. */
  readonly fields: readonly { inResponse: boolean; between: readonly string[]; last: string; values: readonly string[] | undefined }[];
}

const plans = new Map<Action, ActionPlan>();
function planOf(action: Action): ActionPlan {
  let plan = plans.get(action);
  if (plan === undefined) {
    const short = shortId(action);
    plan = {
      action,
      isPull: short === 'image.pull',
      isCreate: /\.create$/.test(short),
      isTagging: short === 'image.tag' || short === 'image.untag',
      fields: action.fields.map((f) => {
        const keys = f.path.split('.');
        return { inResponse: keys[0] !== 'requestData', between: keys.slice(1, -1), last: keys[keys.length - 1]!, values: f.values };
      }),
    };
    plans.set(action, plan);
  }
  return plan;
}

/**
 * Writes `count` realistic events to `sink`: a reproducible mix (seeded PRNG, simulated clock
 * stepping from `start`) weighted toward image pulls and pushes, about 7% failures (401, 403,
 * 404, 409 for creates, 500). Only actions listed on each event's date are used. Resolves to the
 * number of events written; does not close the sink.
 */
export async function simulate(options: SimulateOptions): Promise<number> {
  const { count, sink } = options;
  if (!Number.isInteger(count) || count < 0) throw new RegtrailError('BAD_OPTIONS', `count must be a whole number, not ${count}`);
  const sim = simulation(options);
  const rate = options.rate ?? 5;
  let current: SimulatedRequest | undefined;
  const emitters = new Map<string, Emitter>();
  const emitterFor = (region: Region) => {
    let e = emitters.get(region.id);
    if (!e) {
      e = createEmitter({ accountId: sim.accountId, region, sink, clock: () => current!.time, newId: () => current!.id, warn: () => {} });
      emitters.set(region.id, e);
    }
    return e;
  };

  const wallStart = Date.now();
  const { onProgress } = options;
  for (let n = 0; n < count; n++) {
    current = sim.next();
    await emitterFor(current.region).emit(current.action.id as never, current.input as never);
    onProgress?.(n + 1);
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
