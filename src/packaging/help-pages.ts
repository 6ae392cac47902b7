// Build time: every `--help` page rendered once by oclif itself (80 columns, no colour) into
// dist/help.json, so that `rdma-ts ... --help` prints it without importing oclif (~190 ms).
// The root page's version line depends on the machine that runs it, so it is kept as a
// placeholder and filled in at run time (cli/help-page.ts).
import { Config, loadHelpClass } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelpPages, HELP_WIDTH, VERSION_PLACEHOLDER } from '../cli/help-page.js';

/** oclif writes help through process.stdout; this collects one page. */
async function capture(render: () => Promise<void>): Promise<string> {
  let text = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await render();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

export async function helpPages(root: string): Promise<HelpPages> {
  const config = await Config.load({ root, ignoreManifest: true });
  const Help = await loadHelpClass(config);
  const page = (argv: string[]) => capture(() => new Help(config, { maxWidth: HELP_WIDTH, stripAnsi: true }).showHelp(argv));
  const pages: Record<string, string> = { '': (await page([])).split(config.userAgent).join(VERSION_PLACEHOLDER) };
  const ids = new Set<string>();
  for (const c of config.commands) for (const id of [c.id, ...c.aliases]) ids.add(id);
  // Topics before commands: once oclif has shown a command's help, a topic's page in the same
  // process loses its COMMANDS list (test/help.test.ts compares every page with oclif's own run).
  const topics = config.topics.map((t) => t.name).filter((t) => !ids.has(t));
  for (const t of topics) pages[t] = await page(t.split(':'));
  for (const id of ids) pages[id] = await page(id.split(':'));
  return { pages, topics };
}

export async function writeHelpPages(root: string): Promise<string> {
  const file = join(root, 'dist/help.json');
  writeFileSync(file, JSON.stringify(await helpPages(root)) + '\n');
  return file;
}
