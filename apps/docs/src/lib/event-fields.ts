import { commonEventSchema, type JsonSchema } from '@regtrail/core';

/**
 * The fields of the event model, read from the JSON Schema the validator uses
 * (commonEventSchema), so that the event fields page cannot say anything else.
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

function typeOf(node: JsonSchema): string {
  if (typeof node.type === 'string') return node.type;
  const sample = Array.isArray(node.enum) ? node.enum[0] : node.const;
  return sample === undefined ? 'any' : typeof sample;
}

/** The leaf fields (those without sub-fields) of an object schema, in schema order. */
export function eventFields(schema: JsonSchema = commonEventSchema()): EventField[] {
  const out: EventField[] = [];
  const walk = (node: JsonSchema, prefix: string, always: boolean) => {
    const props = (node.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((node.required ?? []) as string[]);
    for (const [key, child] of Object.entries(props)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const isRequired = required.has(key);
      if (child.properties) {
        walk(child, path, always && isRequired);
        continue;
      }
      out.push({
        path,
        type: typeOf(child),
        required: !isRequired ? 'no' : always ? 'yes' : 'withParent',
        ...(Array.isArray(child.enum) ? { values: child.enum } : {}),
        ...('const' in child ? { const: child.const } : {}),
        ...(typeof child.pattern === 'string' ? { pattern: child.pattern } : {}),
        ...(typeof child.minimum === 'number' ? { minimum: child.minimum } : {}),
        ...(typeof child.maximum === 'number' ? { maximum: child.maximum } : {}),
        ...(child.minLength === 1 ? { notEmpty: true } : {}),
      });
    }
  };
  walk(schema, '', true);
  return out;
}
