import { content, type ActionId, type GroupId } from '../generated/content.js';
import type { ActionDef } from '../content/types.js';
import type { Severity, TargetKind } from '../event/types.js';
import { RegtrailError } from '../errors.js';
import { toIsoDate, today, type IsoDate } from '../dates.js';
import { closest } from '../suggest.js';

export type { ActionId, GroupId };

/** An action as the catalog holds it: every fact, including future deprecation and removal. */
export interface Action extends ActionDef {
  readonly id: ActionId;
  readonly group: GroupId;
  readonly severity: Severity;
  readonly targets: readonly TargetKind[];
}

/** Where an action stood on a given date. */
export type ActionStatus = 'listed' | 'deprecated' | 'removed';

/**
 * An action as the catalog stood on one date: `deprecated` and `removed` are set only when they
 * had happened by then, and `status` says which applies.
 */
export interface CatalogEntry extends Omit<Action, 'deprecated' | 'removed'> {
  readonly deprecated?: IsoDate;
  readonly removed?: IsoDate;
  readonly status: ActionStatus;
  readonly asOf: IsoDate;
}

export interface ListActionsOptions {
  /** The date to look at the catalog on; today (UTC) by default. */
  asOf?: IsoDate | Date;
  group?: GroupId;
  /** true: data events only; false: management events only. Unclassified actions match neither. */
  dataEvent?: boolean;
  /** Also return actions removed by `asOf` (never those not yet listed). */
  includeRemoved?: boolean;
}

const actions = content.actions as readonly Action[];
const byId = new Map<string, Action>(actions.map((a) => [a.id, a]));
const groupIds = content.groups.map((g) => g.id) as readonly GroupId[];
/** Action ids without the service prefix (image.push), for "did you mean" hints. */
const shortIds = actions.map((a) => a.id.slice(content.service.id.length + 1));

export const serviceId = content.service.id;

/** Every action ever listed, in catalog order. */
export function allActions(): readonly Action[] {
  return actions;
}

export function groups(): readonly GroupId[] {
  return groupIds;
}

export function isActionId(id: string): id is ActionId {
  return byId.has(id);
}

/**
 * Accepts a full id (`container-registry.image.push`) or one without the service prefix
 * (`image.push`) and returns the full id.
 */
export function resolveActionId(text: string): ActionId {
  const id = text.includes('.') && !text.startsWith(`${serviceId}.`) ? `${serviceId}.${text}` : text;
  if (isActionId(id)) return id;
  // The closest id by edit distance, in the form it was typed in (with or without the prefix).
  const prefix = `${serviceId}.`;
  const typedFull = text.startsWith(prefix);
  const near = closest(typedFull ? text.slice(prefix.length) : text, shortIds);
  const hint = near !== undefined ? (typedFull ? prefix + near : near) : [...byId.keys()].find((k) => k.endsWith(`.${text}`) || k.includes(text));
  throw new RegtrailError(
    'UNKNOWN_ACTION',
    `unknown action ${JSON.stringify(text)}${hint ? `; did you mean ${hint}?` : ''} (regtrail actions --all lists every action)`,
  );
}

/** The catalog's facts about one action; throws on an unknown id. */
export function getAction(id: ActionId | string): Action {
  return byId.get(resolveActionId(id))!;
}

/** The action as it stood on `asOf`, or undefined when it was not yet listed then. */
export function actionAsOf(action: Action, asOf: IsoDate): CatalogEntry | undefined {
  if (action.since > asOf) return undefined;
  const { deprecated, removed, ...rest } = action;
  const wasRemoved = removed !== undefined && removed <= asOf;
  const wasDeprecated = deprecated !== undefined && deprecated <= asOf;
  return {
    ...rest,
    ...(wasDeprecated ? { deprecated } : {}),
    ...(wasRemoved ? { removed } : {}),
    status: wasRemoved ? 'removed' : wasDeprecated ? 'deprecated' : 'listed',
    asOf,
  };
}

/**
 * The actions the catalog listed on a date (today by default), in catalog order.
 * `listActions({ asOf: '2019-06-21' })` is the seed page's table.
 */
export function listActions(options: ListActionsOptions = {}): CatalogEntry[] {
  const asOf = options.asOf === undefined ? today() : toIsoDate(options.asOf, 'asOf date');
  if (options.group !== undefined && !groupIds.includes(options.group)) {
    const near = closest(String(options.group), groupIds);
    throw new RegtrailError('UNKNOWN_GROUP', `unknown group ${JSON.stringify(options.group)}${near ? `; did you mean ${near}?` : ''} (groups are ${groupIds.join(', ')})`);
  }
  const out: CatalogEntry[] = [];
  for (const action of actions) {
    const entry = actionAsOf(action, asOf);
    if (!entry) continue;
    if (entry.status === 'removed' && !options.includeRemoved) continue;
    if (options.group !== undefined && entry.group !== options.group) continue;
    if (options.dataEvent !== undefined && entry.dataEvent !== options.dataEvent) continue;
    out.push(entry);
  }
  return out;
}

/** The dates on which an action was listed, deprecated or removed, ascending. */
export function editions(): IsoDate[] {
  const dates = new Set<IsoDate>();
  for (const a of actions) {
    dates.add(a.since);
    if (a.deprecated) dates.add(a.deprecated);
    if (a.removed) dates.add(a.removed);
  }
  return [...dates].sort();
}
