import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, '..');
export const repoRoot = path.resolve(packageDir, '../..');
export const contentDir = path.join(repoRoot, 'content');
export const fixturesDir = path.join(here, 'fixtures');
/**
 * The built CLI of the `regtrail` package, for the lint tests in src/validate that still run it
 * as a process (turbo builds it before @regtrail/core's tests; see turbo.json).
 */
export const cliPath = path.join(repoRoot, 'packages/cli/dist/main.js');
