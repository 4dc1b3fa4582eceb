/**
 * Build step (after tsc): writes dist/regtrail.cjs, what bin/regtrail.cjs runs. It is the CLI's
 * start-up path (main, program, io) and `show` (with the table and the show snapshot) in one
 * CommonJS file: Node.js starts a CommonJS program without setting up its ES module loader, and
 * reads one file instead of a dozen, which is most of what is left of `regtrail show`'s start-up
 * once the catalog is precomputed. Nothing else is inlined: every package (commander included,
 * so that the commands share one copy of it with the start-up path) is required or imported as
 * installed, and every other command is imported lazily from the tsc output beside it (dist/),
 * as the ES modules they are. A source map points back to src/.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(packageDir, 'src');

/** The lazily loaded modules that belong in the bundle: the command tree (commander) and `show`. */
const INLINE = new Set([path.join(srcDir, 'program.js'), path.join(srcDir, 'commands/show.js')]);

const lazy: Plugin = {
  name: 'regtrail-lazy',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = path.resolve(args.resolveDir, args.path);
      if (args.kind !== 'dynamic-import' || INLINE.has(target)) return undefined;
      // tsc writes src/x.ts to dist/x.js, and the bundle sits in dist/.
      return { path: `./${path.relative(srcDir, target)}`, external: true };
    });
  },
};

await build({
  entryPoints: [path.join(srcDir, 'main.ts')],
  outfile: path.join(packageDir, 'dist/regtrail.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  // The modules find files beside them (package.json, show/*.json) from import.meta.url.
  define: { 'import.meta.url': '__regtrailUrl' },
  banner: { js: "const __regtrailUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazy],
  logLevel: 'warning',
});
