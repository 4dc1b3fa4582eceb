#!/usr/bin/env node
// Committed entry point, so that npm links the bin at install time, before the first build.
// CommonJS, as is dist/regtrail.cjs (scripts/bundle.ts): Node.js then starts without its ES module loader.
try {
  require.resolve('../dist/regtrail.cjs');
} catch {
  process.stderr.write('regtrail: not built yet; run `npm run build` at the repository root first\n');
  process.exit(2);
}
require('../dist/regtrail.cjs');
