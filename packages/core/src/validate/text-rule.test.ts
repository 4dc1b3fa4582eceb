import { describe, expect, it } from 'vitest';
import { EVENT_MODEL } from '../generated/event-model.js';
import { textRule } from './validate.js';

/** The `text` rule reads its table from the pattern: it must agree with the pattern as a regular expression (ajv's, with the u flag). */
describe('the text rule', () => {
  const patterns = [EVENT_MODEL.patterns.text, '^[^a-c\\u0100]*$', '^(?:[^a])*$', '^[^\\d]*$'];
  for (const pattern of patterns) {
    it(`agrees with ${JSON.stringify(pattern)} on every UTF-16 unit, alone and in text`, () => {
      const re = new RegExp(pattern, 'u');
      const ok = textRule(pattern);
      const wrong: number[] = [];
      for (let c = 0; c < 0x10000; c++) {
        const s = String.fromCharCode(c);
        if (ok(s) !== re.test(s) || ok(`ab${s}cd`) !== re.test(`ab${s}cd`)) wrong.push(c);
      }
      expect(wrong).toEqual([]);
      for (const s of ['', 'plain', 'emoji 😀', '\ud800 lone', 'tab\there', 'rtl\u202e', 'ok\u2065', 'é']) expect(ok(s), JSON.stringify(s)).toBe(re.test(s));
    });
  }
});
