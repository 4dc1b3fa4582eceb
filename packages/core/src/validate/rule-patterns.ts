import { EVENT_FIELDS } from '../event/model.js';
import { EVENT_MODEL } from '../generated/event-model.js';
import { commonShapeOf, type JsonSchema } from './schema.js';

/**
 * The model's patterns that a rule of the validator checks instead of ajv (validate.ts, its
 * pattern rules), by pattern name, with the rule's number. `none` is no check (for the tests that
 * sabotage a rule). Neither ajv's internal schema nor the generated fast check
 * (src/generated/event-checks.ts) holds these patterns: the rules run after both.
 */
export const PATTERN_CHECKS = { none: 0, action: 1, typeURI: 2, crn: 3, eventTime: 4, text: 5 } as const;

const RULE_PATTERNS: ReadonlySet<string> = new Set(Object.keys(PATTERN_CHECKS));

/**
 * The common event's schema less the patterns that rules check. `fast: false` (what ajv compiles
 * in the validator) also leaves out `minLength: 1` and `additionalProperties: false`, which rules
 * check too (see validate.ts); `fast: true` keeps them: the schema the generated fast check is
 * compiled from (scripts/event-codegen.ts), with each action's variant (schema.ts, actionVariant).
 */
export function checkedCommonShape(fast: boolean): JsonSchema {
  return commonShapeOf(EVENT_FIELDS, EVENT_MODEL.values, EVENT_MODEL.patterns, { nonEmpty: fast, closed: fast, patterns: RULE_PATTERNS });
}
