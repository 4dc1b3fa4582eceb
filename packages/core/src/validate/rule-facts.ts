import { content } from '../generated/content.js';
import { EVENT_MODEL } from '../generated/event-model.js';
import { allActions, type Action } from '../catalog/catalog.js';
import { listRegions } from '../regions/regions.js';
import { CRN_SERVICE } from '../event/crn.js';
import { EVENT_FIELDS } from '../event/model.js';
import { flat } from '../event/flat.js';
import { CRNS_REMEMBERED } from '../hot-state.js';

/**
 * The facts the validator's rules read, derived from the content (regions, the service, the
 * catalog's actions, the event model), in one place for both readers: the hand-written rules
 * (validate.ts), which explain what is wrong, and the generated whole-event rule check
 * (scripts/event-codegen.ts, ruleFacts), which has them written into its code as literals. This
 * module imports nothing generated from the event checks, so that the build can read it before
 * it writes them.
 */

/** Every region's CRN location. */
export const CRN_LOCATIONS: ReadonlySet<string> = new Set(listRegions().map((r) => r.crnLocation));
/** The scope segment of an account-scoped CRN. */
export const ACCOUNT_SCOPE = /^a\/[A-Za-z0-9][A-Za-z0-9_-]*$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The CRNs that the CRN rule (validate.ts, crnIssue) accepts, as the source of one regular
 * expression (a target's, or logSourceCRN's), built from the facts crnIssue reads: the service
 * name, the regions' CRN locations, the account scope; ten segments, cname and ctype not empty;
 * and for a target, a resource only with a resource type. irregexp checks a CRN in one pass,
 * faster than crnIssue's walk from colon to colon, which runs only for a CRN the expression
 * refuses (for its message). Without the u flag, as crnIssue, it reads UTF-16 units.
 * validate.test.ts holds the two to the same verdict on every near miss.
 */
export function crnShapeSource(isTarget: boolean): string {
  return `${crnHeadSource(isTarget)}${CRN_REST}`;
}

/**
 * The CRN shape (crnShapeSource) is its head followed by CRN_REST: a CRN matches the shape if and
 * only if its head matches at the start and no colon follows. The head's match is the only one
 * (every part of it ends at a given colon, or at the end), so a check may match the head with the
 * sticky flag, where test() leaves lastIndex at its end, and look for a colon after it with
 * indexOf, which searches faster than the expression walks (the resource of a target's CRN, the
 * longest segment, is not walked).
 */
function crnHeadSource(isTarget: boolean): string {
  const locations = [...CRN_LOCATIONS].map(escapeRegExp).join('|');
  const scope = ACCOUNT_SCOPE.source.replace(/^\^/, '').replace(/\$$/, '');
  // The target's service instance, then a resource type and its colon, or no resource type (and
  // no resource: the CRN ends there); logSourceCRN's service instance and resource type.
  const tail = isTarget ? '[^:]*:(?:[^:]+:|:$)' : '[^:]*:[^:]*:';
  return `^crn:v1:[^:]+:[^:]+:${escapeRegExp(CRN_SERVICE)}:(?:${locations}):${scope}:${tail}`;
}
const CRN_REST = '[^:]*$';

/** The field (dotted path) whose CRN is a target's: it may name a resource; every other CRN field is checked as logSourceCRN. */
export const TARGET_CRN_FIELD = 'target.id';

/** `<display name>: <verb> <objectType> `: how every message of an action starts, before the target's name. */
export const messageHead = (action: Action, displayName: string): string => flat(`${displayName}: ${action.verb.toLowerCase()} ${action.objectType.toLowerCase()} `);

/** The service display name messages start with unless a caller names another. */
export const DEFAULT_DISPLAY_NAME: string = content.service.displayName;

/** The suffix of every message of a failed request. */
export const FAILURE_SUFFIX = ' -failure';

/**
 * The UTF-16 units a pattern of the form `^[^<class>]*$` forbids (`\uXXXX` or single
 * characters, and ranges of them), as the source of one character class of a regular
 * expression without the u flag (which reads UTF-16 units); '' when it forbids none, undefined
 * when the pattern has another shape (then it is checked as a regular expression, with ajv's u flag).
 */
export function forbiddenUnits(pattern: string): string | undefined {
  const body = /^\^\[\^(.*)\]\*\$$/su.exec(pattern)?.[1];
  if (body === undefined) return undefined;
  const table = new Uint8Array(0x10000);
  let i = 0;
  const unit = (): number | undefined => {
    if (body[i] === '\\') {
      const hex = /^u[0-9a-fA-F]{4}/.exec(body.slice(i + 1));
      if (!hex) return undefined;
      i += 6;
      return parseInt(hex[0].slice(1), 16);
    }
    const c = body.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return undefined;
    i++;
    return c;
  };
  while (i < body.length) {
    const from = unit();
    let to = from;
    if (from !== undefined && body[i] === '-' && i + 1 < body.length) {
      i++;
      to = unit();
    }
    if (from === undefined || to === undefined || to < from) return undefined;
    table.fill(1, from, to + 1);
  }
  // The marked units, as one character class: irregexp scans a string for them about twice as
  // fast as a loop over charCodeAt with a table lookup.
  const ranges: string[] = [];
  const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
  for (let c = 0; c < 0x10000; c++) {
    if (table[c] !== 1) continue;
    let to = c;
    while (to + 1 < 0x10000 && table[to + 1] === 1) to++;
    ranges.push(to === c ? hex(c) : `${hex(c)}-${hex(to)}`);
    c = to;
  }
  return ranges.length === 0 ? '' : `[${ranges.join('')}]`;
}

/** What the generated rule check (scripts/event-codegen.ts) is compiled from: every fact above, as plain data. */
export interface RuleFacts {
  /** Each catalog action: its id, the day it was listed from and the day it was removed, and its message head (default display name). */
  readonly actions: readonly { readonly id: string; readonly since: string; readonly removed?: string; readonly head: string }[];
  /**
   * The fields (dotted paths) with the `crn` pattern, each with the head of the shape its CRNs
   * must have (crnHeadSource: the head, then no colon), and how many CRNs that matched it the
   * check remembers (hot-state.ts, cleanMemo).
   */
  readonly crnFields: readonly { readonly path: string; readonly head: string; readonly remembered: number }[];
  /** The fields with the `text` pattern, and the class of units it forbids (as forbiddenUnits; undefined: the pattern as is). */
  readonly textFields: readonly string[];
  readonly textPattern: string;
  readonly textForbidden: string | undefined;
  /** The fields with the `eventTime` pattern, and the pattern. */
  readonly eventTimeFields: readonly string[];
  readonly eventTimePattern: string;
  /** The severity each status code requires, where the model's table names one. */
  readonly statusSeverity: Readonly<Record<string, string>>;
  /** Each kind of caller: its IAM id prefixes and the initiator type URI they require. */
  readonly initiatorKinds: readonly { readonly typeURI: string; readonly idPrefixes: readonly string[] }[];
  readonly failureSuffix: string;
}

const fieldsWith = (pattern: string) => EVENT_FIELDS.filter((f) => f.pattern === pattern).map((f) => f.path);

/** The facts of this content, for the generated rule check. */
export function ruleFacts(): RuleFacts {
  return {
    actions: allActions().map((a) => ({ id: a.id, since: a.since, ...(a.removed !== undefined ? { removed: a.removed } : {}), head: messageHead(a, DEFAULT_DISPLAY_NAME) })),
    crnFields: fieldsWith('crn').map((path) => {
      const isTarget = path === TARGET_CRN_FIELD;
      return { path, head: crnHeadSource(isTarget), remembered: isTarget ? CRNS_REMEMBERED.target : CRNS_REMEMBERED.other };
    }),
    textFields: fieldsWith('text'),
    textPattern: EVENT_MODEL.patterns.text,
    textForbidden: forbiddenUnits(EVENT_MODEL.patterns.text),
    eventTimeFields: fieldsWith('eventTime'),
    eventTimePattern: EVENT_MODEL.patterns.eventTime,
    statusSeverity: EVENT_MODEL.statusSeverity,
    initiatorKinds: EVENT_MODEL.initiatorKinds.map((k) => ({ typeURI: k.typeURI, idPrefixes: k.idPrefixes })),
    failureSuffix: FAILURE_SUFFIX,
  };
}
