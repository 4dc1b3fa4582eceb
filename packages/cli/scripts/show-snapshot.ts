/**
 * Build step (after tsc): writes dist/show/<language>.json, the views `regtrail show` prints for
 * every action in that language (src/show-snapshot.ts reads them), from the catalog, through the
 * same showView the command falls back to. Each action is stored under every name `show`
 * accepts for it, and each name is checked to resolve to its action as the library resolves it.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allActions, languages, resolveActionId, serviceId } from '@regtrail/core/catalog';
import { showView, type ShowView } from '../src/show-view.js';
import { snapshotPath, type ShowSnapshot } from '../src/show-snapshot.js';

const distDir = new URL('../dist/', import.meta.url);

for (const language of languages) {
  const names: Record<string, string> = {};
  const views: Record<string, ShowView> = {};
  for (const action of allActions()) {
    views[action.id] = showView(action.id, language);
    for (const name of [action.id, action.id.slice(serviceId.length + 1)]) {
      if (resolveActionId(name) !== action.id) throw new Error(`show snapshot: ${name} does not name ${action.id}`);
      names[name] = action.id;
    }
  }
  const snapshot: ShowSnapshot = { language, names, views };
  const file = new URL(snapshotPath(language), distDir);
  fs.mkdirSync(new URL('.', file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(snapshot)}\n`);
  console.log(`show snapshot: ${fileURLToPath(file)} (${allActions().length} actions)`);
}
