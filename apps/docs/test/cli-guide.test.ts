import { describe, expect, it } from 'vitest';
import { CLI_EXAMPLES, exampleArgs, runCli, type CliExampleName } from '../src/lib/cli-examples.js';
import { prettyOutput } from '../src/lib/pretty-output.js';
import { LANGS, codeText, page } from './site.js';

const PAGES = { cli: '/cli/', emitter: '/emitter/' } as const;
const ALL = Object.keys(CLI_EXAMPLES) as CliExampleName[];

// The CLI examples of the CLI guide and the emitter guide, as built, run again against the built
// CLI: same command, same output.
describe.each(LANGS)('CLI examples ($lang)', ({ lang, prefix }) => {
  const blocks = Object.fromEntries(
    Object.entries(PAGES).map(([key, path]) => [key, page(`${prefix}${path}`).querySelectorAll('[data-cli-example]')]),
  ) as Record<keyof typeof PAGES, ReturnType<ReturnType<typeof page>['querySelectorAll']>>;

  it.each(Object.keys(PAGES) as (keyof typeof PAGES)[])('the %s guide shows each of its examples, once', (key) => {
    expect(blocks[key].map((b) => b.getAttribute('data-cli-example')).sort()).toEqual(ALL.filter((n) => CLI_EXAMPLES[n].page === key).sort());
  });

  it.each(ALL)('%s prints what the guide shows', (name) => {
    const block = blocks[CLI_EXAMPLES[name].page].find((b) => b.getAttribute('data-cli-example') === name)!;
    const args = exampleArgs(name, lang);
    expect(JSON.parse(block.getAttribute('data-cli-args')!)).toEqual(args);
    expect(codeText(block.querySelector('[data-cli-command]'))).toBe(`regtrail ${args.join(' ')}`);
    expect(block.querySelector('[data-cli-command] .copy button')).not.toBeNull();
    const { output, exitCode } = runCli(args);
    expect(exitCode).toBe(CLI_EXAMPLES[name].exitCode);
    expect(block.querySelector('[data-cli-output]')!.text).toBe(prettyOutput(output));
    expect(output.length).toBeGreaterThan(0);
  });
});
