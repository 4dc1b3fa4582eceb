import { describe, expect, it } from 'vitest';
import { commonEventSchema, STATUS_SEVERITY, translator, type JsonSchema } from '@regtrail/core';
import { LANGS, page, textOf } from './site.js';

/**
 * The leaf fields of the validator's schema, walked here independently of the site's code:
 * path → 'yes' (every event has it), 'withParent' (required in an optional object) or 'no'.
 */
function leaves(node: JsonSchema, prefix = '', always = true, out = new Map<string, string>()): Map<string, string> {
  const required = (node.required ?? []) as string[];
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const req = required.includes(key);
    if (child.properties) leaves(child, path, always && req, out);
    else out.set(path, !req ? 'no' : always ? 'yes' : 'withParent');
  }
  return out;
}

const expected = leaves(commonEventSchema());

describe.each(LANGS)('event fields page ($lang)', ({ lang, prefix }) => {
  const doc = page(`${prefix}/event-fields/`);
  const rows = doc.querySelectorAll('table[data-event-fields-table] tbody tr');
  const t = translator(lang);

  it('lists exactly the leaf fields of the common event schema, in order, with their required flags', () => {
    expect(rows.map((r) => r.getAttribute('data-event-field'))).toEqual([...expected.keys()]);
    expect(Object.fromEntries(rows.map((r) => [r.getAttribute('data-event-field'), r.getAttribute('data-required')]))).toEqual(Object.fromEntries(expected));
    expect(expected.get('initiator.host.address')).toBe('yes');
    expect(expected.get('target.host.address')).toBe('withParent');
    expect(expected.get('correlationId')).toBe('no');
  });

  it('shows each field with its localized rule and required label', () => {
    for (const row of rows) {
      const path = row.getAttribute('data-event-field')!;
      const rule = t(`event:${path}`);
      expect(rule.trim().length, path).toBeGreaterThan(0);
      expect(rule, path).not.toBe(path);
      expect(textOf(row.querySelector('[data-rule]'))).toBe(rule.replace(/\s+/g, ' ').trim());
      expect(textOf(row.querySelectorAll('td')[2])).toBe(t(`docs:eventFields.${row.getAttribute('data-required')}`));
    }
  });

  it('shows the allowed values of enumerated fields', () => {
    const credential = rows.find((r) => r.getAttribute('data-event-field') === 'initiator.credential.type')!;
    expect(textOf(credential)).toContain('apikey');
    expect(textOf(rows.find((r) => r.getAttribute('data-event-field') === 'observer.name'))).toContain('"ActivityTracker"');
  });

  it('shows the status-code → severity table', () => {
    const table = doc.querySelectorAll('table[data-status-severity-table] tbody tr');
    expect(Object.fromEntries(table.map((r) => [Number(r.getAttribute('data-status')), r.getAttribute('data-severity')]))).toEqual({ ...STATUS_SEVERITY });
  });
});

describe('event field rules (content/locales/*/event.json)', () => {
  it.each(LANGS)('every leaf field has a non-empty rule in $lang', ({ lang }) => {
    const t = translator(lang);
    const missing = [...expected.keys()].filter((p) => {
      const text = t(`event:${p}`);
      return !text.trim() || text === p || text === `event:${p}`;
    });
    expect(missing).toEqual([]);
  });
});
