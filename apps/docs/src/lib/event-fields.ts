import { EVENT_FIELDS, EVENT_MODEL } from '@regtrail/core';

/**
 * The fields of the event model (content/catalog/event.yaml, as @regtrail/core ships it): the
 * same data the type, the schema, the serializer and the validator are generated from, so that
 * the event fields page cannot say anything else.
 */
export interface EventField {
  /** Dotted path, such as `initiator.host.address`. */
  readonly path: string;
  readonly type: string;
  /**
   * `yes`: every event has it; `withParent`: required in its parent object, which is optional;
   * `no`: optional.
   */
  readonly required: 'yes' | 'withParent' | 'no';
  readonly values?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly notEmpty?: boolean;
}

/** Whether every object above a field is required, up to the event itself. */
function alwaysThere(parent: string): boolean {
  if (parent === '') return true;
  const p = EVENT_FIELDS.find((f) => f.path === parent);
  return p !== undefined && p.required && alwaysThere(p.parent);
}

/** The leaf fields (those without fields of their own), in the model's order. */
export function eventFields(): EventField[] {
  return EVENT_FIELDS.filter((f) => f.leaf).map((f) => ({
    path: f.path,
    type: f.type,
    required: !f.required ? 'no' : alwaysThere(f.parent) ? 'yes' : 'withParent',
    ...(f.values !== undefined ? { values: EVENT_MODEL.values[f.values as keyof typeof EVENT_MODEL.values] } : {}),
    ...(f.const !== undefined ? { const: f.const } : {}),
    ...(f.pattern !== undefined ? { pattern: EVENT_MODEL.patterns[f.pattern as keyof typeof EVENT_MODEL.patterns] } : {}),
    ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
    ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
    ...(f.nonEmpty ? { notEmpty: true } : {}),
  }));
}
