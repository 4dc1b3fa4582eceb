import { createHash } from 'node:crypto';
import { RegtrailError } from '../errors.js';
import { getAction, type Action } from '../catalog/catalog.js';
import { memorySink } from '../sinks/memory.js';
import { createEmitter, type EmitterOptions } from './emitter.js';
import type { EmitInput, TargetInput } from './input.js';
import type { ActivityEvent } from './types.js';

/**
 * Sample events of an action, made by the reference emitter with a fixed clock and fixed ids, so
 * that the same catalog always gives the same samples (the docs site shows them on every action
 * page). Everything about a sample is here: the emitter's options, the input and the event.
 */

export type SampleOutcome = 'success' | 'failure';

export interface Sample {
  readonly outcome: SampleOutcome;
  /** What `emit` is called with. */
  readonly input: EmitInput<string>;
  /** The event the emitter produced for it. */
  readonly event: ActivityEvent;
}

export interface ActionSamples {
  readonly action: Action;
  /** The day the samples happen on (the action's `since` date, when it was surely listed). */
  readonly date: string;
  /** The emitter's options, sink and clock aside. */
  readonly emitter: { readonly accountId: string; readonly region: string };
  /** The clock's value, in milliseconds since the epoch: `date` at 12:00:00.00 UTC. */
  readonly time: number;
  readonly success: Sample;
  readonly failure: Sample;
}

/** The account, region and caller every sample uses. */
export const SAMPLE_ACCOUNT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const SAMPLE_REGION = 'us-south';
const REGISTRY = 'us.icr.io';
const NAMESPACE = 'team-a';
const IMAGE = `${REGISTRY}/${NAMESPACE}/app:1.4`;
const DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';
const INITIATOR = { id: 'IBMid-310000ABCD', name: 'dev@example.com', ip: '203.0.113.7', agent: 'docker/27.3.1 go/go1.22.7' } as const;

/** The resource a sample acts on: of the usual kind the catalog lists for the action. */
function targetOf(action: Action): TargetInput {
  const kind = action.targets[0]!;
  switch (kind) {
    case 'account':
      return { type: 'account' };
    case 'image':
      return { type: 'image', reference: IMAGE, digest: DIGEST };
    case 'namespace':
      return { type: 'namespace', name: NAMESPACE };
    case 'exemption':
      return { type: 'exemption', id: '5f0e7a1c-3b9d-4c2e-8a61-2d4b9e0f7c13', name: 'CVE-2023-44487' };
    default:
      // Other resources of the account, such as registry tokens.
      return { type: 'resource', resourceType: kind, id: '0d2c6f1e-9a7b-5c3d-8e4f-1a2b3c4d5e6f', name: `ci-pipeline-${kind}` };
  }
}

/** A realistic value for a catalog field: the first allowed value, else one by its name. */
function valueOf(path: string, type: string, values: readonly string[] | undefined): unknown {
  if (values?.length) return values[0];
  const key = path.slice(path.lastIndexOf('.') + 1);
  const known: Record<string, unknown> = {
    name: IMAGE,
    repository: `${REGISTRY}/${NAMESPACE}/app`,
    signatureMethod: 'simple-signing',
    signatureObject: `${NAMESPACE}/app@${DIGEST}=1`,
    id: DIGEST,
  };
  if (key in known) return known[key];
  if (type === 'number' || type === 'integer') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return `example-${key}`;
}

/** The nested object of an action's catalog fields under one root, each with a sample value. */
function dataOf(action: Action, root: 'requestData' | 'responseData'): Record<string, unknown> | undefined {
  const fields = action.fields.filter((f) => f.path.startsWith(`${root}.`));
  if (fields.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const keys = f.path.split('.').slice(1);
    let node = out;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) node[key] = valueOf(f.path, f.type, f.values as readonly string[] | undefined);
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

/** The status of a failed request, by verb, and why it failed. */
function failureOf(action: Action): { status: number; reasonForFailure: string } {
  switch (action.verb) {
    case 'create':
      return { status: 409, reasonForFailure: `The ${action.objectType} already exists.` };
    case 'set':
    case 'analyze':
      return { status: 400, reasonForFailure: 'The request is not valid.' };
    case 'push':
    case 'write':
    case 'build':
      return { status: 403, reasonForFailure: 'The caller is not authorized to write to the namespace.' };
    case 'list':
      return { status: 401, reasonForFailure: 'The token has expired.' };
    default:
      return { status: 404, reasonForFailure: `The ${action.objectType} was not found.` };
  }
}

/** A deterministic, UUID-shaped id for one sample of one action. */
export function sampleId(actionId: string, outcome: SampleOutcome): string {
  const h = createHash('sha256').update(`regtrail-sample:${actionId}:${outcome}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Whether the emitter can make samples of an action (it cannot emit unclassified actions). */
export function hasSampleEvents(actionId: string): boolean {
  return getAction(actionId).dataEvent !== 'unclassified';
}

/**
 * A success and a failure event of an action, made by the reference emitter (with validation on)
 * on the day the action was first listed at 12:00:00.00 UTC, by the same caller in us-south, with
 * ids derived from the action id. Throws a RegtrailError for an unclassified action, which the
 * emitter cannot emit.
 */
export function sampleEvents(actionId: string): ActionSamples {
  const action = getAction(actionId);
  if (action.dataEvent === 'unclassified') {
    throw new RegtrailError('UNCLASSIFIED_ACTION', `${action.id} is unclassified (neither data nor management event); the emitter cannot emit it`);
  }
  const date = action.since;
  const time = Date.parse(`${date}T12:00:00.000Z`);
  const target = targetOf(action);
  const requestData = dataOf(action, 'requestData');
  const responseData = dataOf(action, 'responseData');
  const common = {
    initiator: { ...INITIATOR },
    target,
    ...(requestData ? { requestData } : {}),
  };
  const inputs: Record<SampleOutcome, EmitInput<string>> = {
    success: { ...common, status: 200, ...(responseData ? { responseData } : {}) },
    failure: { ...common, ...failureOf(action) },
  };
  const make = (outcome: SampleOutcome): Sample => {
    const options: EmitterOptions = {
      accountId: SAMPLE_ACCOUNT,
      region: SAMPLE_REGION,
      sink: memorySink(),
      clock: () => time,
      newId: () => sampleId(action.id, outcome),
      warn: () => {},
    };
    const input = structuredClone(inputs[outcome]);
    const event = createEmitter(options).build(action.id as never, input as never);
    return { outcome, input: inputs[outcome], event };
  };
  return {
    action,
    date,
    emitter: { accountId: SAMPLE_ACCOUNT, region: SAMPLE_REGION },
    time,
    success: make('success'),
    failure: make('failure'),
  };
}
