#!/usr/bin/env node
// Committed entry point, so that npm links the bin at install time, before the first build.
import('../dist/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    process.stderr.write('regtrail: not built yet; run `npm run build` at the repository root first\n');
    process.exit(2);
  }
  throw err;
});
