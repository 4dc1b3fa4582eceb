import { describe, expect, it } from 'vitest';
import { commonEventSchema, eventSchema, resources, translator, type JsonSchema } from '../index.js';
import { flattenResources } from '../entry/internal.js';

/** Every leaf field of a schema (a field without sub-fields), as `a.b.c` → its schema. */
function leaves(node: JsonSchema, path = '', out = new Map<string, JsonSchema>()): Map<string, JsonSchema> {
  const props = node.properties as Record<string, JsonSchema> | undefined;
  if (props) for (const [k, child] of Object.entries(props)) leaves(child, path ? `${path}.${k}` : k, out);
  else if (path) out.set(path, node);
  return out;
}

const fields = leaves(commonEventSchema());
const eventKeys = (lng: 'en' | 'zh-CN') => flattenResources((resources[lng] as Record<string, unknown>).event);

describe('the event fields and their rules (content/locales/*/event.json)', () => {
  it('the common schema has the fields of the event model', () => {
    expect(fields.size).toBeGreaterThan(30);
    expect(fields.has('initiator.host.address')).toBe(true);
    expect(fields.has('initiator.credential.type')).toBe(true);
  });

  it.each(['en', 'zh-CN'] as const)('every leaf field has a rule in %s, and every rule a field', (lng) => {
    const keys = eventKeys(lng);
    const t = translator(lng);
    for (const path of fields.keys()) {
      expect(keys.get(path)?.trim(), `${lng} event:${path}`).toBeTruthy();
      expect(t(`event:${path}`)).toBe(keys.get(path));
    }
    expect([...keys.keys()].filter((k) => !fields.has(k))).toEqual([]);
  });

  it('each leaf field of the schema is described by its English rule, written once in event.json', () => {
    const en = eventKeys('en');
    for (const [path, node] of fields) expect(node.description, path).toBe(en.get(path));
  });

  it('the per-action schemas carry the same descriptions', () => {
    const one = eventSchema('image.push') as { $defs: { event: JsonSchema } };
    expect(leaves(one.$defs.event).get('target.id')!.description).toBe(translator('en')('event:target.id'));
  });
});
