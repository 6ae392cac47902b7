#!/usr/bin/env node
// Entry point (CommonJS: bin/package.json). rdmatool-style command lines run the bundled CLI
// (dist/bundle/rdma-ts.cjs, see src/packaging/bundle.ts) without oclif, whose import alone
// costs ~190 ms. `--help` prints the page oclif rendered at build time (dist/help.json); oclif
// itself runs only for `lab` and for help it must answer itself (an unknown command, options
// before the command).
'use strict';
const { join } = require('node:path');

const argv = process.argv.slice(2);
const help = argv.includes('--help');

function oclif() {
  import('@oclif/core').then(({ run, flush, handle }) =>
    // The package root, not this directory: oclif reads the nearest package.json, and bin/ has its own.
    run(argv, join(__dirname, '..')).then(() => flush()).catch((e) => handle(e)));
}

if (argv[0] === 'lab' && !help) {
  oclif();
} else {
  const cli = require('../dist/bundle/rdma-ts.cjs');
  const page = help ? cli.helpPage(argv, cli.loadHelpPages(join(__dirname, '../dist/help.json'))) : undefined;
  if (page !== undefined) process.stdout.write(page);
  else if (help) oclif();
  else Promise.resolve(cli.main(argv)).then((status) => { process.exitCode = status; });
}
