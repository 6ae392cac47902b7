// `npm pack`'s prepack step (after the build): the oclif manifest, the man pages and the shell
// completions, all from the commands' own help and dispatch tables. Run from the package root.
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeManifest, buildManifest } from './manifest.js';
import { manPages } from './man.js';
import { bashScript, zshScript } from './completion.js';
import { USAGE } from '../cli/main.js';

const root = process.cwd();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
// SOURCE_DATE_EPOCH (reproducible builds) or today.
const date = new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now()).toISOString().slice(0, 10);

const manifest = await buildManifest(root);
console.error(`wrote ${await writeManifest(root)} (${Object.keys(manifest.commands).length} commands)`);
mkdirSync(join(root, 'dist/man'), { recursive: true });
for (const [name, text] of Object.entries(manPages(manifest, USAGE, version, date))) writeFileSync(join(root, 'dist/man', name), text);
console.error(`wrote dist/man (${Object.keys(manPages(manifest, USAGE, version, date)).length} pages)`);
mkdirSync(join(root, 'dist/completion'), { recursive: true });
writeFileSync(join(root, 'dist/completion/rdma-ts.bash'), bashScript());
writeFileSync(join(root, 'dist/completion/_rdma-ts'), zshScript());
console.error('wrote dist/completion/rdma-ts.bash and dist/completion/_rdma-ts');
