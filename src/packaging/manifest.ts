// The oclif manifest (oclif.manifest.json): every command's help metadata, written once at pack
// time so that `--help` reads it instead of importing each command class, and so that the man
// pages and completions come from the same source as `--help`.
import { Config, Interfaces, Plugin } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Manifest = Interfaces.Manifest;

/** Loads the commands from `root` (dist/commands, through package.json's oclif section), ignoring any manifest on disk. */
export async function buildManifest(root: string): Promise<Manifest> {
  const config = await Config.load({ root, ignoreManifest: true });
  // The root plugin is a config/plugin.js Plugin (the interface type does not list its manifest).
  const plugin = config.plugins.get(config.pjson.name) as Plugin | undefined;
  if (!plugin) throw new Error(`no oclif plugin named ${config.pjson.name} at ${root}`);
  return plugin.manifest;
}

export async function writeManifest(root: string): Promise<string> {
  const file = join(root, 'oclif.manifest.json');
  writeFileSync(file, JSON.stringify(await buildManifest(root), null, 1) + '\n');
  return file;
}
