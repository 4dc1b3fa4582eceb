import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docsDir } from './cli-examples';

/**
 * The emitter guide's TypeScript examples: real files under apps/docs/examples/, shown as they are
 * and run with tsx at build time (their output is shown too). The docs tests run them again and
 * compare, so the guide cannot drift from the library.
 */
export const TS_EXAMPLES = ['emit', 'validate', 'custom-sink'] as const;
export type TsExampleName = (typeof TS_EXAMPLES)[number];

/** The example's file, such as apps/docs/examples/emit.ts. */
export function examplePath(name: TsExampleName): string {
  return path.join(docsDir(), 'examples', `${name}.ts`);
}

export function exampleSource(name: TsExampleName): string {
  return fs.readFileSync(examplePath(name), 'utf8');
}

const outputs = new Map<TsExampleName, string>();

/**
 * Runs an example with tsx (in apps/docs, with a fresh file path as its argument) and returns what
 * it prints; an example that fails is an error. Each example runs once per process.
 */
export function runTsExample(name: TsExampleName, { cached = true } = {}): string {
  const known = cached ? outputs.get(name) : undefined;
  if (known !== undefined) return known;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-example-'));
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', examplePath(name), path.join(dir, 'events.ndjson')], {
      cwd: docsDir(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    }).trimEnd();
    outputs.set(name, output);
    return output;
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    throw new Error(`emitter guide example ${name}.ts failed (exit ${e.status}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
