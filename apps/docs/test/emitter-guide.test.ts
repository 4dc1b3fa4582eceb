import { describe, expect, it } from 'vitest';
import { CLI_EXAMPLES } from '../src/lib/cli-examples.js';
import { TS_EXAMPLES, exampleSource, runTsExample } from '../src/lib/ts-examples.js';
import { prettyOutput } from '../src/lib/pretty-output.js';
import { LANGS, codeText, page } from './site.js';

// Each TypeScript example is run again (fresh, with tsx) and must print what the guide shows.
const outputs = new Map(TS_EXAMPLES.map((name) => [name, runTsExample(name, { cached: false })]));

describe.each(LANGS)('emitter guide ($lang)', ({ prefix }) => {
  const doc = page(`${prefix}/emitter/`);
  const blocks = doc.querySelectorAll('[data-ts-example]');

  it('shows every TypeScript example once, and its CLI examples', () => {
    expect(blocks.map((b) => b.getAttribute('data-ts-example')).sort()).toEqual([...TS_EXAMPLES].sort());
    const cli = doc.querySelectorAll('[data-cli-example]').map((b) => b.getAttribute('data-cli-example')).sort();
    expect(cli).toEqual(Object.entries(CLI_EXAMPLES).filter(([, e]) => e.page === 'emitter').map(([k]) => k).sort());
  });

  it.each([...TS_EXAMPLES])('%s.ts is shown as it is, and prints what the guide shows', (name) => {
    const block = blocks.find((b) => b.getAttribute('data-ts-example') === name)!;
    expect(codeText(block.querySelector('[data-ts-source]'))).toBe(exampleSource(name).trimEnd());
    expect(block.querySelector('[data-ts-output]')!.text).toBe(prettyOutput(outputs.get(name)!));
  });
});

describe('the emitter guide examples do what the guide says', () => {
  it('emit.ts writes two events, both valid, the second a failure with severity warning', () => {
    const out = outputs.get('emit')!.split('\n');
    expect(out[0]).toBe('IBM Cloud Container Registry: push image us.icr.io/team-a/app:1.4');
    expect(out[1]).toMatch(/^crn:v1:bluemix:public:container-registry:us-south:a\/a1b2c3::image:team-a\/app%3A1\.4$/);
    expect(out[2]).toBe('IBM Cloud Container Registry: create namespace team-a -failure (warning)');
    expect(out.slice(3)).toEqual(['valid', 'valid']);
  });

  it('validate.ts reports each mistake of the hand-written event', () => {
    const out = outputs.get('validate')!;
    expect(out).toMatch(/^\d+ problems:/);
    for (const path of ['/eventTime', '/severity', '/reason/reasonType', '/target/id', '/requestData/headers/Authorization']) {
      expect(out).toContain(`  ${path}: `);
    }
  });

  it('custom-sink.ts receives every event', () => {
    expect(outputs.get('custom-sink')).toBe('3 events, 1 failed\n200 404 200');
  });
});
