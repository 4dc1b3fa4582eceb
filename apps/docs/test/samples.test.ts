import { describe, expect, it } from 'vitest';
import { allActions, createEmitter, memorySink, sampleEvents, serviceId, validateEvent } from '@regtrail/core';
import { LANGS, codeText, page, textOf } from './site.js';

const slug = (id: string) => id.slice(serviceId.length + 1);
const HEADINGS = { en: { success: 'Success', failure: 'Failure' }, 'zh-CN': { success: '成功', failure: '失败' } } as const;

// Each action page shows a success and a failure event made by the reference emitter; the JSON
// must parse, be exactly what the emitter makes of the sample's input, and be valid on its date.
describe.each(LANGS)('sample events ($lang)', ({ lang, prefix }) => {
  it.each(allActions().map((a) => [a.id, a] as const))('%s', (_id, action) => {
    const doc = page(`${prefix}/events/${slug(action.id)}/`);
    expect(doc.querySelector('h2#samples'), action.id).not.toBeNull();
    const sections = doc.querySelectorAll('section[data-sample]');
    if (action.dataEvent === 'unclassified') {
      expect(sections).toHaveLength(0);
      expect(textOf(doc.querySelector('[data-no-samples]')).length).toBeGreaterThan(10);
      return;
    }
    expect(doc.querySelector('[data-no-samples]')).toBeNull();
    expect(sections.map((s) => s.getAttribute('data-sample'))).toEqual(['success', 'failure']);
    const samples = sampleEvents(action.id);
    for (const section of sections) {
      const outcome = section.getAttribute('data-sample') as 'success' | 'failure';
      expect(textOf(section.querySelector('h3'))).toBe(HEADINGS[lang][outcome]);
      const blocks = section.querySelectorAll('pre[data-language="json"]');
      expect(blocks).toHaveLength(1);
      const shown = JSON.parse(codeText(blocks[0]));
      // What the emitter makes of the same input, on the same clock, with the same id.
      const sample = samples[outcome];
      const emitter = createEmitter({ ...samples.emitter, sink: memorySink(), clock: () => samples.time, newId: () => sample.event.id!, warn: () => {} });
      expect(shown).toEqual(JSON.parse(JSON.stringify(emitter.build(action.id as never, structuredClone(sample.input) as never))));
      expect(shown.outcome).toBe(outcome);
      expect(shown.eventTime.slice(0, 10)).toBe(section.getAttribute('data-sample-date'));
      expect(validateEvent(shown)).toEqual({ ok: true, problems: [] });
    }
  });
});
