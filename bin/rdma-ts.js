#!/usr/bin/env node
// Entry point. rdmatool-style command lines take the fast path (no oclif:
// its import alone costs ~190 ms); `--help` and oclif-only commands go
// through oclif, which renders help from the classes in commands/.
const argv = process.argv.slice(2);
const viaOclif = argv.includes('--help') || argv[0] === 'lab';
if (viaOclif) {
  const { run, flush, handle } = await import('@oclif/core');
  await run(argv, import.meta.url).then(() => flush()).catch((e) => handle(e));
} else {
  // The fast path's modules bundled into one file (dist/bundle, esbuild; lazy commands stay
  // separate chunks): ~70 ESM files resolved and read one by one cost more than node itself.
  const { main } = await import('../dist/bundle/main.js');
  process.exitCode = await main(argv);
}
