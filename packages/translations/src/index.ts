/**
 * @regtrail/translations: what the docs site needs to tell whether a zh page is behind its
 * English (the status command itself is src/main.ts).
 */
export { pageHash } from './hash.js';
export { SOURCE_HASH_FIELD, lastChanged } from './pages.js';
export { partsByLanguage } from './changesets.js';
