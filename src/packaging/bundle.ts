// `npm run build`'s second step, after tsc: the CLI bundled with esbuild, and the prebuilt
// --help pages. Run from the package root.
//
// Why a bundle, and why CommonJS (docs/design.md, "Start-up levers", figures from farm-bench):
// ~70 ESM modules resolved, read and compiled one by one cost more than node itself, and even
// one ESM file starts node's ESM loader (~4 ms). One CommonJS file loads through the loader node
// has already started. Two parts cannot be CommonJS and stay ESM files next to it, loaded only
// when used: top's terminal UI (ink has top-level await, which require() refuses) and the
// exporter's collector (a worker thread, which has its own module instances anyway).
import { build, BuildOptions, Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeHelpPages } from './help-pages.js';

const root = process.cwd();
const outdir = join(root, 'dist/bundle');
const common: BuildOptions = {
  bundle: true, platform: 'node', target: 'node20', outdir, logLevel: 'warning', minify: true,
  // koffi loads a .node file; the rest are loaded only by top, the exporter and lab.
  external: ['koffi', '@oclif/core', 'ink', 'react', 'prom-client'],
};

/** top's `import('../views/top/tui/run.js')` stays an import() of the ESM bundle tui.js. */
const tuiApart: Plugin = {
  name: 'tui-apart',
  setup(b) {
    b.onResolve({ filter: /\/tui\/run\.js$/ }, () => ({ path: './tui.js', external: true }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common, entryPoints: { 'rdma-ts': 'src/cli/main.ts' }, format: 'cjs', outExtension: { '.js': '.cjs' }, plugins: [tuiApart],
  // import.meta.url (koffi's createRequire, the collector's path) is this file's URL.
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
});
await build({ ...common, entryPoints: { tui: 'src/views/top/tui/run.tsx', collector: 'src/cli/exporter/collector.ts' }, format: 'esm' });
await writeHelpPages(root);
