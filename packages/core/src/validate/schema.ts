import { content } from '../generated/content.js';
import { allActions, getAction, type Action, type ActionId } from '../catalog/catalog.js';
import { EVENT_MODEL } from '../generated/event-model.js';
import { EVENT_FIELDS, type EventFieldDef } from '../event/model.js';
import { translator } from '../i18n/i18n.js';

/**
 * JSON Schema (draft 2020-12) of Container Registry activity-tracking events, generated from the
 * catalog: the common event, and one variant per action (action, dataEvent and target.typeURI as
 * constants, the request fields the catalog lists as required, their allowed values as enums).
 * Rules that depend on dates, tables or several fields at once are in validate.ts.
 */
export type JsonSchema = { [key: string]: unknown };

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Top-level fields of the legacy (pre-October 2019) form; the current form has none of them. */
export const LEGACY_FIELDS = ['payload', 'meta', 'attachments', 'requestHeader', 'requestBody', 'responseHeader', 'responseBody', 'latencies'] as const;

/** The validator's fast path leaves some keywords out of what ajv compiles; see validate.ts. */
export interface ShapeOptions {
  /** Leave out `minLength: 1` (the validator's non-empty rule checks it). */
  readonly nonEmpty?: boolean;
  /** Leave out `additionalProperties: false` (the validator's no-other-fields rule checks it). */
  readonly closed?: boolean;
  /** Leave out the patterns with these names (the validator's pattern rules check them). */
  readonly patterns?: ReadonlySet<string>;
  /** Give each leaf field its English rule as its description. */
  readonly describe?: (path: string) => string;
}

/**
 * The JSON Schema of the common event, from the event model: each field's type, its value set or
 * constant, pattern, bounds, "not empty", the required fields of each object, and "no other
 * fields" for every object that is not open. Keywords the options name are left out.
 */
export function commonShapeOf(fields: readonly EventFieldDef[], values: Readonly<Record<string, readonly string[]>>, patterns: Readonly<Record<string, string>>, options: ShapeOptions = {}): JsonSchema {
  const nodeOf = (parent: string): JsonSchema => {
    const kids = fields.filter((f) => f.parent === parent);
    const node: JsonSchema = { type: 'object' };
    const required = kids.filter((f) => f.required).map((f) => f.key);
    if (required.length) node.required = required;
    if (options.closed !== false) node.additionalProperties = false;
    node.properties = Object.fromEntries(kids.map((f) => [f.key, fieldNode(f)]));
    return node;
  };
  const fieldNode = (f: EventFieldDef): JsonSchema => {
    let node: JsonSchema;
    if (f.type === 'object') node = f.open ? { type: 'object' } : nodeOf(f.path);
    // A value set or a constant says the type (and gives the better message).
    else if (f.const !== undefined) node = { const: f.const };
    else if (f.values !== undefined) node = { enum: [...values[f.values]!] };
    else {
      node = { type: f.type };
      if (f.nonEmpty && options.nonEmpty !== false) node.minLength = 1;
      if (f.pattern !== undefined && !options.patterns?.has(f.pattern)) node.pattern = patterns[f.pattern];
      if (f.minimum !== undefined) node.minimum = f.minimum;
      if (f.maximum !== undefined) node.maximum = f.maximum;
    }
    if (f.leaf && options.describe) node.description = options.describe(f.path);
    return node;
  };
  return nodeOf('');
}

let englishT: ((key: string) => string) | undefined;

function commonSchema(): JsonSchema {
  const describe = (englishT ??= translator('en') as unknown as (key: string) => string);
  return {
    ...commonShapeOf(EVENT_FIELDS, EVENT_MODEL.values, EVENT_MODEL.patterns, { describe: (path) => describe(`event:${path}`) }),
    description: 'an activity-tracking event (CADF, current form)',
  };
}

/** The nested object schema of the catalog fields under one root (requestData or responseData). */
export function dataSchema(action: Action, root: 'requestData' | 'responseData', required: boolean): JsonSchema | undefined {
  const fields = action.fields.filter((f) => f.path.startsWith(`${root}.`));
  if (fields.length === 0) return undefined;
  const top: JsonSchema = { type: 'object' };
  for (const field of fields) {
    const keys = field.path.split('.').slice(1);
    let node = top;
    keys.forEach((key, i) => {
      const props = (node.properties ??= {}) as Record<string, JsonSchema>;
      if (required) {
        const req = (node.required ??= []) as string[];
        if (!req.includes(key)) req.push(key);
      }
      if (i === keys.length - 1) {
        props[key] = {
          type: field.type,
          ...(field.values ? { enum: [...field.values] } : {}),
          description: `${field.path} of ${action.id}`,
        };
      } else {
        node = props[key] ??= { type: 'object' };
      }
    });
  }
  return top;
}

/** What one action adds to the common event. */
export function actionVariant(action: Action): JsonSchema {
  const requestData = dataSchema(action, 'requestData', true);
  const responseData = dataSchema(action, 'responseData', false);
  const kind = action.dataEvent === true ? 'a data event' : 'a management event';
  return {
    type: 'object',
    properties: {
      action: { const: action.id },
      ...(action.dataEvent === 'unclassified'
        ? {}
        : { dataEvent: { const: action.dataEvent, description: `the catalog lists ${action.id} as ${kind}` } }),
      target: {
        type: 'object',
        properties: { typeURI: { const: action.targetTypeURI, description: `the target type of ${action.id}` } },
      },
      ...(requestData ? { requestData } : {}),
      ...(responseData ? { responseData } : {}),
    },
    ...(requestData ? { required: ['requestData'] } : {}),
  };
}

const schemaId = (suffix = '') => `urn:regtrail:schema:event${suffix ? `:${suffix}` : ''}`;

/** The schema of the fields every event has, whatever its action. */
export function commonEventSchema(): JsonSchema {
  return {
    $schema: SCHEMA_DIALECT,
    $id: schemaId('common'),
    title: `${content.service.displayName} activity-tracking event (fields common to every action)`,
    ...commonSchema(),
  };
}

/**
 * The JSON Schema of events: of one action's events when `actionId` is given (full or short id),
 * otherwise of every action's (the action picks its variant). A new object on every call.
 */
export function eventSchema(actionId?: ActionId | string): JsonSchema {
  if (actionId !== undefined) {
    const action = getAction(actionId);
    return {
      $schema: SCHEMA_DIALECT,
      $id: schemaId(action.id),
      title: `${content.service.displayName} activity-tracking event: ${action.id}`,
      $defs: { event: commonSchema() },
      allOf: [{ $ref: '#/$defs/event' }, actionVariant(action)],
    };
  }
  const actions = allActions();
  const defs: Record<string, JsonSchema> = { event: commonSchema() };
  for (const a of actions) defs[a.id] = actionVariant(a);
  return {
    $schema: SCHEMA_DIALECT,
    $id: schemaId(),
    title: `${content.service.displayName} activity-tracking event`,
    $defs: defs,
    type: 'object',
    $ref: '#/$defs/event',
    properties: { action: { enum: actions.map((a) => a.id) } },
    allOf: actions.map((a) => ({
      if: { type: 'object', properties: { action: { const: a.id } }, required: ['action'] },
      then: { $ref: `#/$defs/${a.id}` },
    })),
  };
}
