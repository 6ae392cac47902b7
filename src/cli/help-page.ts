// `--help` without oclif: the pages oclif rendered at build time (packaging/help-pages.ts),
// looked up the way oclif finds a command from the words before --help.
import { readFileSync } from 'node:fs';
import { VERSION } from './version.js';

/** Pages are rendered at oclif's width for output that is not a terminal, at any terminal width, like a man page. */
export const HELP_WIDTH = 80;
export const VERSION_PLACEHOLDER = '{{rdma-ts version line}}';

export interface HelpPages {
  /** By oclif id (`lab:run`), aliases included; '' is the root page. */
  pages: Record<string, string>;
  /** Ids that are topics, not commands: extra words after them are oclif's "not found" error. */
  topics: string[];
}

/**
 * The page for `argv` (which holds --help), or undefined where oclif must answer: options
 * before the command, an unknown command, words after a topic.
 */
export function helpPage(argv: string[], built: HelpPages | undefined): string | undefined {
  if (!built) return undefined;
  const { pages, topics } = built;
  const words = argv.filter((a) => a !== '--help');
  if (words.some((w) => w.startsWith('-'))) return undefined;
  if (!words.length) {
    // oclif's config.userAgent
    return pages[''].split(VERSION_PLACEHOLDER).join(`rdma-ts/${VERSION} ${process.platform}-${process.arch} node-${process.version}`);
  }
  for (let n = words.length; n >= 1; n--) {
    const id = words.slice(0, n).join(':');
    if (pages[id] === undefined) continue;
    return topics.includes(id) && n < words.length ? undefined : pages[id];
  }
  return undefined;
}

export function loadHelpPages(file: string | URL): HelpPages | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as HelpPages;
  } catch {
    return undefined; // not built: oclif renders help
  }
}
