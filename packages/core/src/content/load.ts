import path from 'node:path';
import { ContentError, type ContentProblem } from './problems.js';
import { actionsSchema, groupsSchema, regionsSchema, serviceSchema } from './schema.js';
import { checkRegions } from './regions.js';
import { checkEventModel, eventModelSchema } from './event-model.js';
import { readYaml } from './yaml.js';
import { checkRoutes, routesSchema } from './routes.js';
import { interpolationVariables, pluralCategories, pluralForm, readLocales } from './locales.js';
import type { ActionDef, LoadedContent } from './types.js';

/** Namespaces every language must provide. */
export const NAMESPACES = ['common', 'actions', 'groups', 'fields', 'regions', 'event'] as const;
const SOURCE_LANGUAGE = 'en';
/**
 * Variables a caller passes rather than a product name: `count` (i18next picks the plural form
 * by it) and `date` (a date already formatted for the language).
 */
const CALL_VARIABLES: ReadonlySet<string> = new Set(['count', 'date']);
/**
 * Namespaces whose strings a program fills in at run time (the CLI's `{{count}} actions as of
 * {{asOf}}`): their variables need not be product names. Every language must still use the same
 * variables as the source language (checked below), so a typo in one translation is caught.
 */
const RUNTIME_NAMESPACES: ReadonlySet<string> = new Set(['cli']);

/**
 * Reads and validates everything under a content directory (catalog YAML and locale JSON).
 * Throws a ContentError listing every problem, each with its file, line and key.
 */
export function loadContent(contentDir: string): LoadedContent {
  const problems: ContentProblem[] = [];
  const catalogDir = path.join(contentDir, 'catalog');
  const service = readYaml(path.join(catalogDir, 'service.yaml'), serviceSchema, problems);
  const groups = readYaml(path.join(catalogDir, 'groups.yaml'), groupsSchema, problems);
  const actions = readYaml(path.join(catalogDir, 'actions.yaml'), actionsSchema, problems);
  const regionsSource = readYaml(path.join(catalogDir, 'regions.yaml'), regionsSchema, problems);
  const eventSource = readYaml(path.join(catalogDir, 'event.yaml'), eventModelSchema, problems);
  const event = checkEventModel(eventSource, problems);
  const { regions, editions } = checkRegions(regionsSource, problems);
  const locales = readLocales(path.join(contentDir, 'locales'), problems);
  const routesSource = readYaml(path.join(catalogDir, 'routes.yaml'), routesSchema, problems);

  const groupIds = new Set<string>();
  groups.value?.groups.forEach((g, i) => {
    if (groupIds.has(g.id)) {
      problems.push({ file: groups.file, line: groups.lineOf(['groups', i, 'id']), key: `groups[${i}].id`, message: `duplicate group id ${g.id}` });
    }
    groupIds.add(g.id);
  });

  const defs: ActionDef[] = [];
  const firstIndex = new Map<string, number>();
  actions.value?.actions.forEach((a, i) => {
    const at = (key: string, message: string) =>
      problems.push({ file: actions.file, line: actions.lineOf(['actions', i, key]), key: `actions[${i}].${key}`, message: `${a.id}: ${message}` });
    const [serviceId, objectType, verb] = a.id.split('.') as [string, string, string];
    if (service.value && serviceId !== service.value.id) at('id', `must start with the service id ${service.value.id}.`);
    const first = firstIndex.get(a.id);
    if (first !== undefined) at('id', `duplicate id, first defined at actions[${first}] (line ${actions.lineOf(['actions', first, 'id'])})`);
    else firstIndex.set(a.id, i);
    if (groups.value && !groupIds.has(a.group)) at('group', `unknown group ${JSON.stringify(a.group)}; groups.yaml has ${[...groupIds].join(', ')}`);
    if (a.removed && a.removed <= a.since) at('removed', `removed (${a.removed}) must be after since (${a.since})`);
    if (a.deprecated && a.deprecated < a.since) at('deprecated', `deprecated (${a.deprecated}) is before since (${a.since})`);
    if (a.deprecated && a.removed && a.deprecated >= a.removed) at('deprecated', `deprecated (${a.deprecated}) must be before removed (${a.removed})`);
    if (event) {
      const pattern = (name: string) => (event.patterns[name] ? new RegExp(event.patterns[name]!, 'u') : undefined);
      if (pattern('action')?.test(a.id) === false) at('id', `does not match event.yaml's action pattern ${event.patterns.action}`);
      if (pattern('typeURI')?.test(`${serviceId}/${objectType}`) === false) at('id', `its target type URI ${serviceId}/${objectType} does not match event.yaml's typeURI pattern ${event.patterns.typeURI}`);
      const severities = event.values.severity ?? [];
      if (!severities.includes(a.severity)) at('severity', `unknown severity ${JSON.stringify(a.severity)}; event.yaml's severities are ${severities.join(', ')}`);
      const kinds = event.values.targetKind ?? [];
      const targets = typeof a.target === 'string' ? [a.target] : a.target;
      targets.forEach((t, j) => {
        if (!kinds.includes(t)) at('target', `unknown target kind ${JSON.stringify(t)}; event.yaml's target kinds are ${kinds.join(', ')}`);
        if (targets.indexOf(t) !== j) at('target', `target kind ${t} is listed twice`);
      });
    }
    const paths = new Set<string>();
    for (const f of a.fields ?? []) {
      if (paths.has(f.path)) at('fields', `duplicate field ${f.path}`);
      paths.add(f.path);
    }
    defs.push({
      id: a.id,
      objectType,
      verb,
      group: a.group,
      dataEvent: a.dataEvent,
      severity: a.severity,
      targets: typeof a.target === 'string' ? [a.target] : a.target,
      targetTypeURI: `${serviceId}/${objectType}`,
      since: a.since,
      ...(a.deprecated ? { deprecated: a.deprecated } : {}),
      ...(a.removed ? { removed: a.removed } : {}),
      fields: a.fields ?? [],
    });
  });

  const routes = checkRoutes(routesSource, defs, service.value?.id, problems);

  // Every language must say everything the catalog needs, using only known product names.
  if (locales.languages.length && !locales.languages.includes(SOURCE_LANGUAGE)) {
    problems.push({ file: 'content/locales', key: '', message: `the source language ${SOURCE_LANGUAGE} is missing` });
  }
  const products = new Set(Object.keys(service.value?.products ?? {}));
  // A product named per language names itself in the source language and only in known languages.
  for (const [name, value] of Object.entries(service.value?.products ?? {})) {
    if (typeof value === 'string') continue;
    const file = service.file;
    const line = service.lineOf(['products', name]);
    if (!value[SOURCE_LANGUAGE]) problems.push({ file, line, key: `products.${name}`, message: `a per-language name needs the source language ${SOURCE_LANGUAGE}` });
    for (const lng of Object.keys(value)) {
      if (locales.languages.length && !locales.languages.includes(lng)) {
        problems.push({ file, line, key: `products.${name}.${lng}`, message: `unknown language ${lng}; content/locales has ${locales.languages.join(', ')}` });
      }
    }
  }
  for (const lng of locales.languages) {
    const flat = locales.flat[lng]!;
    const files = locales.files[lng]!;
    // The required namespaces, and any other namespace some language has, must exist in every language.
    const everyNamespace = new Set<string>([...NAMESPACES, ...locales.languages.flatMap((l) => Object.keys(locales.files[l] ?? {}))]);
    for (const ns of everyNamespace) {
      if (!files[ns]) problems.push({ file: `content/locales/${lng}/${ns}.json`, key: '', message: 'missing namespace file' });
    }
    const need = (ns: string, key: string, what: string) => {
      if (flat[ns] && !flat[ns]!.has(key)) problems.push({ file: files[ns]!, key, message: `missing ${what}` });
    };
    for (const d of defs) {
      need('actions', `${d.objectType}.${d.verb}`, `description of ${d.id}`);
      for (const f of d.fields) need('fields', f.path, `label of field ${f.path}`);
    }
    for (const g of groupIds) need('groups', g, `title of group ${g}`);
    for (const r of regions) {
      need('regions', `${r.id}.name`, `name of region ${r.id}`);
      need('regions', `${r.id}.city`, `city of region ${r.id}`);
    }
    for (const e of editions) need('regions', `editions.${e.id}`, `title of rule edition ${e.id}`);
    // Every leaf field of the event model has its rule in the event namespace, and nothing else is there.
    if (event && flat.event) {
      const leaves = new Set(event.fields.filter((f) => f.leaf).map((f) => f.path));
      for (const path of leaves) need('event', path, `rule of event field ${path} (content/catalog/event.yaml)`);
      for (const key of flat.event.keys()) {
        if (!leaves.has(key)) problems.push({ file: files.event!, key, message: `is not a field of the event model (content/catalog/event.yaml); remove it or add the field` });
      }
    }
    // A string with plural forms has the forms the language needs (en: _one and _other; zh-CN:
    // _other) and, for key parity, every form the source language has (so zh-CN carries _one too,
    // which i18next never picks for it); no other form.
    const needForms = pluralCategories(lng);
    for (const [ns, map] of Object.entries(flat)) {
      const sourceFamilies = lng === SOURCE_LANGUAGE ? undefined : pluralFamilies(locales.flat[SOURCE_LANGUAGE]?.[ns]?.keys() ?? []);
      for (const [base, forms] of pluralFamilies(map.keys())) {
        const parity = (sourceFamilies?.get(base) ?? []).filter((c) => !needForms.includes(c));
        const carry = [...needForms, ...parity];
        const why = `${lng} needs ${needForms.join(', ')}${parity.length ? `, and carries ${SOURCE_LANGUAGE}'s ${parity.join(', ')} for key parity` : ''}`;
        const missing = carry.filter((c) => !forms.includes(c));
        const extra = forms.filter((c) => !carry.includes(c));
        if (missing.length) problems.push({ file: files[ns]!, key: base, message: `missing plural form(s) ${missing.map((c) => `${base}_${c}`).join(', ')}; ${why}` });
        if (extra.length) problems.push({ file: files[ns]!, key: base, message: `plural form(s) ${extra.map((c) => `${base}_${c}`).join(', ')} are never used in ${lng}, which needs ${needForms.join(', ')}` });
      }
    }
    if (service.value) {
      for (const [ns, map] of Object.entries(flat)) {
        const source = locales.flat[SOURCE_LANGUAGE]?.[ns];
        for (const [key, value] of map) {
          for (const v of interpolationVariables(value)) {
            if (RUNTIME_NAMESPACES.has(ns)) {
              // A translation may only use the variables its source string is given.
              const given = interpolationVariables(source?.get(key) ?? source?.get(baseKey(key)) ?? '');
              if (!products.has(v) && !given.includes(v)) {
                problems.push({ file: files[ns]!, key, message: `unknown variable {{${v}}}: the ${SOURCE_LANGUAGE} string does not have it` });
              }
            } else if (!products.has(v) && !CALL_VARIABLES.has(v)) {
              problems.push({ file: files[ns]!, key, message: `unknown variable {{${v}}}; service.yaml products are ${[...products].join(', ')}, and callers pass ${[...CALL_VARIABLES].join(', ')}` });
            }
          }
        }
      }
    }
  }

  if (problems.length) throw new ContentError(problems);
  return {
    service: service.value!,
    groups: groups.value!.groups,
    actions: defs,
    regions,
    locationEditions: editions,
    languages: locales.languages,
    locales: locales.resources,
    event: event!,
    routes,
  };
}

/** The key of the same string's "other" plural form (footer_one → footer_other), for a plural form only some languages have. */
/** The plural strings among these keys: base key → the plural categories present (`x_one`, `x_other` → x: one, other). */
function pluralFamilies(keys: Iterable<string>): Map<string, string[]> {
  const families = new Map<string, string[]>();
  for (const key of keys) {
    const form = pluralForm(key);
    if (form) families.set(form.base, [...(families.get(form.base) ?? []), form.category]);
  }
  return families;
}

function baseKey(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, '_other');
}
