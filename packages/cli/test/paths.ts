import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, '..');
export const repoRoot = path.resolve(packageDir, '../..');
/** The CLI as npm installs it: the committed bin, which runs the build's dist/regtrail.cjs (scripts/bundle.ts). */
export const cliPath = path.join(packageDir, 'bin/regtrail.cjs');
