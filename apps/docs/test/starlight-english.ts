import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Starlight's English UI dictionary, read from the installed package: its translations/en.json,
 * plus the Pagefind and Expressive Code strings, whose English defaults Starlight states in its
 * i18n schema ("English default value: `"Clear"`"). Nothing here is typed by hand, so a string a
 * new Starlight adds shows up.
 */
export function starlightEnglish(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@astrojs/starlight'));
  const own = JSON.parse(fs.readFileSync(path.join(dir, 'translations/en.json'), 'utf8')) as Record<string, string>;
  const schema = fs.readFileSync(path.join(dir, 'schemas/i18n.ts'), 'utf8');
  const defaults = [...schema.matchAll(/'([\w.]+)':\s*z\s*\.string\(\)\s*\.describe\(\s*'[^']*English default value: `"((?:[^"\\]|\\.)*)"`/g)];
  if (defaults.length < 10) throw new Error(`starlight-english: found only ${defaults.length} English defaults in ${dir}/schemas/i18n.ts; has its format changed?`);
  return { ...own, ...Object.fromEntries(defaults.map((m) => [m[1]!, m[2]!])) };
}
