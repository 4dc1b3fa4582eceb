import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allActions, languages, serviceId } from '@regtrail/core/catalog';
import { snapshotPath, type ShowSnapshot } from '../src/show-snapshot.js';
import { showView } from '../src/show-view.js';
import { packageDir } from './paths.js';

/** The build's snapshot (dist/show/*.json), which `regtrail show` prints from, is what the library says now. */
describe('the show snapshot', () => {
  it.each(languages.map((l) => [l]))('%s: every action, under both its names, has the view the library gives', (language) => {
    const snapshot = JSON.parse(fs.readFileSync(path.join(packageDir, 'dist', snapshotPath(language)), 'utf8')) as ShowSnapshot;
    expect(snapshot.language).toBe(language);
    expect(Object.keys(snapshot.views).sort()).toEqual(allActions().map((a) => a.id).sort());
    for (const action of allActions()) {
      const short = action.id.slice(serviceId.length + 1);
      expect(snapshot.names[action.id]).toBe(action.id);
      expect(snapshot.names[short]).toBe(action.id);
      expect(snapshot.views[action.id], action.id).toEqual(showView(short, language));
    }
    expect(Object.keys(snapshot.names)).toHaveLength(2 * allActions().length);
  });
});
