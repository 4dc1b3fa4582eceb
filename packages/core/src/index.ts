/**
 * @regtrail/core: the Container Registry activity-tracking catalog as a typed library, all of it.
 * The same API in parts: @regtrail/core/catalog (for browsers too), @regtrail/core/validate,
 * @regtrail/core/emit.
 */
export * from './entry/catalog.js';
export * from './entry/validate.js';
export * from './entry/emit.js';

// Loading and checking content/ from disk (what the build does); Node.js only.
export { loadContent, NAMESPACES } from './content/load.js';
export { ContentError, formatProblem, type ContentProblem } from './content/problems.js';
export type { ContentData } from './content/types.js';

// Events from real registry traffic: the audit proxy and registry notifications; Node.js only.
export * from './entry/proxy.js';
