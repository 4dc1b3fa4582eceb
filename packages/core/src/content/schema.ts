import { z } from 'zod';
import { isIsoDate } from '../dates.js';

/**
 * Schemas of the YAML files under content/catalog. They check shape only; rules that relate
 * entries to each other (duplicate ids, unknown groups, date order) live in load.ts.
 */

const isoDate = z
  .string({ invalid_type_error: 'expected a date written YYYY-MM-DD' })
  .refine(isIsoDate, { message: 'expected a real calendar date written YYYY-MM-DD' });

const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;

const identifier = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a lower-case id such as image or account-vulnerability-report');

export const serviceSchema = z
  .object({
    id: identifier,
    displayName: z.string().min(1),
    // A brand name is one string in every language, or a language → name map for a product
    // that has its own name in some language (Vulnerability Advisor is 漏洞顾问程序 in zh-CN).
    products: z.record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
      z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]),
    ),
  })
  .strict();

export const groupsSchema = z
  .object({
    groups: z.array(z.object({ id: identifier }).strict()).min(1),
  })
  .strict();

const fieldSchema = z
  .object({
    path: z
      .string()
      .regex(/^(requestData|responseData)(\.[A-Za-z][A-Za-z0-9_]*)+$/, 'expected a path under requestData or responseData, such as requestData.RequestParameters.name'),
    type: z.enum(FIELD_TYPES, {
      errorMap: (issue, ctx) =>
        issue.code === 'invalid_enum_value'
          ? { message: `unknown field type ${JSON.stringify(issue.received)}; expected one of ${FIELD_TYPES.join(', ')}` }
          : { message: ctx.defaultError },
    }),
    values: z.array(z.string()).min(1).optional(),
  })
  .strict();

const actionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'expected service.objectType.verb, such as container-registry.image.push'),
    group: identifier,
    dataEvent: z.union([z.boolean(), z.literal('unclassified')], {
      errorMap: () => ({ message: 'expected true, false or unclassified' }),
    }),
    /** One of event.yaml's severities (checked in load.ts, against that file). */
    severity: z.string(),
    /** What the action acts on: one of event.yaml's target kinds, or several (the first is the usual one). */
    target: z.union([z.string(), z.array(z.string()).min(1)]),
    since: isoDate,
    deprecated: isoDate.optional(),
    removed: isoDate.optional(),
    fields: z.array(fieldSchema).optional(),
  })
  .strict();

export const actionsSchema = z.object({ actions: z.array(actionSchema).min(1) }).strict();

export type FieldType = (typeof FIELD_TYPES)[number];

const domainName = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'expected a lower-case domain name such as us.icr.io');

const regionSchema = z
  .object({
    id: identifier,
    formerName: identifier.optional(),
    global: z.boolean().optional(),
    domain: domainName,
    privateDomain: domainName.optional(),
    deprecatedDomain: domainName.optional(),
    crnLocation: identifier,
    available: z.string().min(1),
  })
  .strict();

const locationEditionSchema = z
  .object({
    id: identifier,
    since: isoDate,
    others: z.enum(['same', 'none']),
    locations: z.record(identifier),
  })
  .strict();

export const regionsSchema = z
  .object({
    regions: z.array(regionSchema).min(1),
    editions: z.array(locationEditionSchema).min(1),
  })
  .strict();

export type RegionsYaml = z.infer<typeof regionsSchema>;
