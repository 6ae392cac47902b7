// The boot-time RDMA netns mode: `options ib_core netns_mode=N` in
// /etc/modprobe.d, or ib_core.netns_mode=N on the kernel command line (wins).
// The live mode (SYS_GET) can differ after `system set netns`.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const MODPROBE_DIR = process.env.RDMA_TS_MODPROBE_DIR ?? '/etc/modprobe.d';
export const PERSIST_FILE = 'rdma-ts-netns.conf';

export interface BootNetnsMode {
  /** 1 shared, 0 exclusive. */
  mode: number;
  source: string;
}

export function bootNetnsMode(cmdline = readOr('/proc/cmdline'), dir = MODPROBE_DIR): BootNetnsMode | undefined {
  const m = /(?:^|\s)ib_core\.netns_mode=(\S+)/.exec(cmdline);
  if (m) return { mode: truthy(m[1]), source: '/proc/cmdline' };
  let found: BootNetnsMode | undefined;
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.conf')).sort();
  } catch {
    return undefined;
  }
  // modprobe reads the files in order; a later option overrides an earlier one.
  for (const f of files) {
    for (const line of readOr(join(dir, f)).split('\n')) {
      const o = /^\s*options\s+ib_core\s+(.*)$/.exec(line);
      const v = o && /(?:^|\s)netns_mode=(\S+)/.exec(o[1]);
      if (v) found = { mode: truthy(v[1]), source: join(dir, f) };
    }
  }
  return found;
}

/** Writes the persistent setting; returns the file written. */
export function persistNetnsMode(mode: number): string {
  mkdirSync(MODPROBE_DIR, { recursive: true });
  const file = join(MODPROBE_DIR, PERSIST_FILE);
  writeFileSync(file, `# Written by rdma-ts system set netns --persist\noptions ib_core netns_mode=${mode}\n`);
  return file;
}

const truthy = (v: string) => (/^(1|y|Y|on|true)$/.test(v) ? 1 : 0);

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
