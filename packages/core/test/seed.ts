import fs from 'node:fs';
import path from 'node:path';
import { fixturesDir } from './paths.js';

/** A copy of the seed page (zh-CN, 2019-06-21), kept as the fixture it is checked against. */
export const seedText = fs.readFileSync(path.join(fixturesDir, 'seed-2019-06-21.zh-CN.md'), 'utf8');

/** What the seed's {{site.data.keyword.*}} placeholders stand for, in our product variables. */
const SEED_KEYWORDS: Record<string, string> = {
  registrylong_notm: 'registry',
  registrylong: 'registry',
  IBM_notm: 'ibm',
  cloud_notm: 'cloud',
};

/**
 * The seed's table of actions. Rows are read cell pair by cell pair rather than by <tr>,
 * because the image.rm row has lost its opening <tr>.
 */
export function seedRows(): { id: string; description: string }[] {
  const table = seedText.slice(seedText.indexOf('<table>'), seedText.indexOf('</table>'));
  const cells = [...table.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.trim());
  const rows: { id: string; description: string }[] = [];
  for (let i = 0; i + 1 < cells.length; i += 2) {
    rows.push({ id: cells[i]!.replace(/^`|`$/g, ''), description: cells[i + 1]! });
  }
  return rows;
}

/** Replaces the seed's placeholders with the given product names. */
export function fillSeedPlaceholders(text: string, products: Record<string, string>): string {
  return text.replace(/\{\{site\.data\.keyword\.([A-Za-z_]+)\}\}/g, (whole, keyword: string) => {
    const variable = SEED_KEYWORDS[keyword];
    if (!variable || !(variable in products)) throw new Error(`seed placeholder ${whole} has no product variable`);
    return products[variable]!;
  });
}
