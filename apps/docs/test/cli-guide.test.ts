import { describe, expect, it } from 'vitest';
import { CLI_EXAMPLES, exampleArgs, runCli, type CliExampleName } from '../src/lib/cli-examples.js';
import { LANGS, page, textOf } from './site.js';

// The CLI guide's examples, as built, run again against the built CLI: same command, same output.
describe.each(LANGS)('CLI guide ($lang)', ({ lang, prefix }) => {
  const blocks = page(`${prefix}/cli/`).querySelectorAll('[data-cli-example]');

  it('shows every example of the examples file, once', () => {
    expect(blocks.map((b) => b.getAttribute('data-cli-example')).sort()).toEqual(Object.keys(CLI_EXAMPLES).sort());
  });

  it.each(Object.keys(CLI_EXAMPLES) as CliExampleName[])('%s prints what the guide shows', (name) => {
    const block = blocks.find((b) => b.getAttribute('data-cli-example') === name)!;
    const args = exampleArgs(name, lang);
    expect(JSON.parse(block.getAttribute('data-cli-args')!)).toEqual(args);
    expect(textOf(block.querySelector('[data-cli-command]'))).toBe(`$ regtrail ${args.join(' ')}`);
    const { output, exitCode } = runCli(args);
    expect(exitCode).toBe(CLI_EXAMPLES[name].exitCode);
    expect(block.querySelector('[data-cli-output]')!.text).toBe(output);
    expect(output.length).toBeGreaterThan(0);
  });
});
