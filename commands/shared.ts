// The oclif commands are thin: oclif renders their help; running one hands
// the words to the same rdmatool-grammar dispatcher the fast path uses.
import { Command } from '@oclif/core';
import { main } from '../src/cli/main.js';

export abstract class RdmaObjectCommand extends Command {
  static override strict = false;
  /** The rdmatool object word this command stands for. */
  static object = '';

  async run(): Promise<void> {
    const object = (this.constructor as typeof RdmaObjectCommand).object;
    process.exitCode = await main([object, ...this.argv]);
  }
}

export const GLOBAL_OPTIONS_HELP =
  'Global options (any position): -j/--json, -p/--pretty, -d (-dd for driver details), -r/--raw, ' +
  '-o/--oneline, -n/--netns NAME|PATH|PID, --all-netns, --compat 6.1, --record FILE, --replay FILE, --debug; writes: --dry-run.';
