import { content } from '../generated/content.js';
import { allActions, getAction, type Action, type ActionId } from '../catalog/catalog.js';
import { CRN_PATTERN } from '../event/crn.js';
import { EVENT_TIME_PATTERN } from '../event/time.js';
import { CREDENTIAL_TYPES, INITIATOR_TYPE_URIS } from '../event/build.js';
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

const str = (): JsonSchema => ({ type: 'string' });
const nonEmpty = (): JsonSchema => ({ ...str(), minLength: 1 });

/**
 * Gives every leaf field of a schema its description: the English text of its rule, from the
 * `event` namespace of content/locales (keyed by the field's path, such as `initiator.host.address`),
 * the same text the docs site shows on its event fields page.
 */
function describeLeaves(node: JsonSchema, path: string, t: (key: string) => string): void {
  const props = node.properties as Record<string, JsonSchema> | undefined;
  if (props) {
    for (const [key, child] of Object.entries(props)) describeLeaves(child, path ? `${path}.${key}` : key, t);
  } else if (path) {
    node.description = t(`event:${path}`);
  }
}

let englishT: ((key: string) => string) | undefined;

function commonSchema(): JsonSchema {
  const schema = commonShape();
  describeLeaves(schema, '', (englishT ??= translator('en') as unknown as (key: string) => string));
  return schema;
}

function commonShape(): JsonSchema {
  return {
    type: 'object',
    description: 'an activity-tracking event (CADF, current form)',
    required: ['action', 'initiator', 'target', 'outcome', 'reason', 'severity', 'eventTime', 'message', 'logSourceCRN', 'saveServiceCopy', 'observer', 'dataEvent'],
    additionalProperties: false,
    properties: {
      action: {
        type: 'string',
        pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$',
      },
      initiator: {
        type: 'object',
        required: ['id', 'name', 'typeURI', 'credential', 'host'],
        additionalProperties: false,
        properties: {
          id: nonEmpty(),
          name: nonEmpty(),
          typeURI: { enum: Object.values(INITIATOR_TYPE_URIS) },
          credential: {
            type: 'object',
            required: ['type'],
            additionalProperties: false,
            properties: { type: { enum: [...CREDENTIAL_TYPES] } },
          },
          host: {
            type: 'object',
            required: ['address'],
            additionalProperties: false,
            properties: {
              address: str(),
              addressType: { enum: ['IPv4', 'IPv6', 'CSE', 'subnet'] },
              agent: str(),
            },
          },
          authnId: str(),
          authnName: str(),
        },
      },
      target: {
        type: 'object',
        required: ['id', 'name', 'typeURI'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: CRN_PATTERN },
          name: nonEmpty(),
          typeURI: {
            type: 'string',
            pattern: '^[a-z][a-z0-9-]*(/[A-Za-z0-9-]+)+$',
          },
          resourceGroupId: str(),
          host: { type: 'object', required: ['address'], additionalProperties: false, properties: { address: str() } },
          alias: str(),
        },
      },
      outcome: { enum: ['success', 'pending', 'failure'] },
      reason: {
        type: 'object',
        required: ['reasonCode'],
        additionalProperties: false,
        properties: {
          reasonCode: { type: 'integer', minimum: 100, maximum: 599 },
          reasonType: str(),
          reasonForFailure: str(),
        },
      },
      severity: { enum: ['normal', 'warning', 'critical'] },
      eventTime: {
        type: 'string',
        pattern: EVENT_TIME_PATTERN,
      },
      message: nonEmpty(),
      logSourceCRN: { type: 'string', pattern: CRN_PATTERN },
      saveServiceCopy: { type: 'boolean' },
      observer: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { const: 'ActivityTracker' } },
      },
      dataEvent: { type: 'boolean' },
      requestData: { type: 'object' },
      responseData: { type: 'object' },
      id: str(),
      correlationId: str(),
    },
  };
}

/** The nested object schema of the catalog fields under one root (requestData or responseData). */
function dataSchema(action: Action, root: 'requestData' | 'responseData', required: boolean): JsonSchema | undefined {
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
