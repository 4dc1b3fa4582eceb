import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(here, '..');
const repoRoot = path.resolve(packageDir, '../..');
export const contentDir = path.join(repoRoot, 'content');
export const fixturesDir = path.join(here, 'fixtures');
