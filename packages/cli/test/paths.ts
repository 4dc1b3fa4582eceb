import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, '..');
export const repoRoot = path.resolve(packageDir, '../..');
/** The built CLI (what bin/regtrail.js runs). */
export const cliPath = path.join(packageDir, 'dist/main.js');
